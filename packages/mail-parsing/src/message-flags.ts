import { makeFlag, type TAuthentication, type TFlag, type TParsedMessage } from '@intake/domain';
import { assessAuthentication, describeAuthFailures } from './auth-results.js';
import { describeLinkedFiles, type LinkedFile } from './linked-attachments.js';

/**
 * The flags the parser itself knows for certain: unreadable files, a failed
 * sender check, files given as download links. Every other flag is a policy
 * decision of validation-rules (`evaluateFlags`).
 */
export function builtinFlags(
  msg: TParsedMessage,
  receivedSpf: string[],
  labels: Record<string, string>,
  links: LinkedFile[] = [],
  authservIds: readonly string[] = [],
): TFlag[] {
  const flags: TFlag[] = [];
  for (const a of msg.attachments) {
    if (a.error) flags.push(makeFlag('UNREADABLE_ATTACHMENT', `${a.path}：${a.error}`, labels));
  }
  const { failures } = assessAuthentication(msg.headers?.authenticationResults ?? [], receivedSpf, authservIds);
  if (failures.length > 0) flags.push(makeFlag('UNVERIFIED_SENDER', describeAuthFailures(failures), labels));
  if (links.length > 0) flags.push(makeFlag('LINKED_ATTACHMENT', describeLinkedFiles(links), labels));
  return flags;
}

/**
 * The caller's flags, plus ours for codes the caller did not decide on: a
 * rule set that computes UNREADABLE_ATTACHMENT itself wins, one that does not
 * know about it still gets ours.
 */
export function mergeFlags(evaluated: TFlag[], builtin: TFlag[]): TFlag[] {
  const decided = new Set(evaluated.map((f) => f.code));
  return [...evaluated, ...builtin.filter((f) => !decided.has(f.code))];
}

/** The per-message `authentication` field: what our own receiving server said, and how many headers were ignored. */
export function authenticationOf(
  msg: TParsedMessage,
  receivedSpf: string[],
  authservIds: readonly string[],
): TAuthentication {
  const a = assessAuthentication(msg.headers?.authenticationResults ?? [], receivedSpf, authservIds);
  return {
    trusted: a.trusted.length > 0,
    configured: authservIds.length > 0,
    results: a.trusted.map((v) => ({ method: v.method, result: v.result, authservId: v.authservId })),
    ignoredHeaders: a.ignoredHeaders,
  };
}
