import type { ApplicationEvaluation } from '@intake/validation-rules';
import type { Queryable } from '../db.js';
import { loadCorrections } from './correction-store.js';
import {
  buildAppCorrections,
  effectiveAttachments,
  loadMessageParts,
  type AppCorrections,
  type ReadFacts,
  type RegisteredAttachment,
} from './correction-view.js';

/** What the loader needs of a registered message (RegisteredMessage of applications.ts fits). */
export interface MessageForCorrections {
  sha256: string;
  readFacts: ReadFacts;
  attachments: RegisteredAttachment[];
}

/** The application's facts as the mails say them: the latest message that names each one. */
export function readFactsOf(messages: readonly MessageForCorrections[]): ReadFacts {
  const latest = <K extends keyof ReadFacts>(k: K): ReadFacts[K] | undefined =>
    [...messages].reverse().find((m) => m.readFacts[k] !== null)?.readFacts[k];
  return {
    applicant: latest('applicant') ?? null,
    cluster: latest('cluster') ?? null,
    field: latest('field') ?? null,
  };
}

/**
 * Corrections of the given applications with their status against the
 * current reading, the effective project list, and each message's attachments
 * replaced by their effective values (in place).
 */
export async function loadAppCorrections(
  q: Queryable,
  apps: ReadonlyArray<{ id: number; evaluation: ApplicationEvaluation | null }>,
  messages: ReadonlyMap<number, MessageForCorrections[]>,
  scope: number[] | 'all',
): Promise<Map<number, AppCorrections>> {
  const rows = await loadCorrections(q, scope, { includeRemoved: true });
  const shas = new Set<string>();
  for (const a of apps) {
    const t = a.evaluation?.currentByRole['project-table']?.messageKey;
    if (t) shas.add(t);
  }
  for (const list of rows.values()) for (const r of list) if (r.messageSha256) shas.add(r.messageSha256);
  const parts = await loadMessageParts(q, [...shas]);
  const out = new Map<number, AppCorrections>();
  for (const a of apps) {
    const msgs = messages.get(a.id) ?? [];
    const mine = rows.get(a.id) ?? [];
    const facts = readFactsOf(msgs);
    const built = buildAppCorrections(mine, { facts, evaluation: a.evaluation, messages: parts });
    for (const m of msgs) {
      m.attachments = effectiveAttachments(m.sha256, m.attachments, built.set, mine);
    }
    out.set(a.id, built);
  }
  return out;
}
