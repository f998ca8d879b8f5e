import type { Corpus } from '@intake/fixture-generator';
import type { RegisterExportLike } from './pipeline-run.js';

/**
 * A stable projection of the register (no receipt numbers or times of
 * processing), so runs with one worker, two workers, killed workers and a
 * restarted database can be compared with each other and with the scenario.
 */
export function projectRegister(exp: RegisterExportLike) {
  return exp.applications
    .map((a) => ({
      applicant: a.applicant?.code ?? null,
      cluster: a.cluster,
      field: a.field,
      flags: [...new Set(a.flags.map((f) => f.code))].sort(),
      copies: a.copies,
      documents: a.documents,
      metrics: a.metrics,
      messages: a.messages
        .map(
          (m) =>
            `${m.messageId}|${m.receivedAt}|${m.ack?.status ?? 'none'}|${m.ack?.status === 'skipped' ? (m.ack.reason ?? '') : ''}`,
        )
        .sort(),
    }))
    .sort((x, y) => (x.messages[0] ?? '').localeCompare(y.messages[0] ?? ''));
}

/** Differences between the register and the generator's scenario, in words. */
export function scenarioDiffs(corpus: Corpus, exp: RegisterExportLike): string[] {
  const diffs: string[] = [];
  const byMessageId = new Map<string, RegisterExportLike['applications'][number]>();
  for (const a of exp.applications) for (const m of a.messages) if (m.messageId) byMessageId.set(m.messageId, a);
  const caseMessageId = (id: string): string | null => {
    const c = corpus.cases.find((x) => x.id === id);
    const m = c ? /^message-id:\s*(<[^>\r\n]+>)/im.exec(c.raw.toString('latin1')) : null;
    return m?.[1] ?? null;
  };
  for (const e of corpus.scenario.applications) {
    const ids = e.messageCaseIds.map(caseMessageId);
    const apps = new Set(ids.map((id) => (id ? byMessageId.get(id) : undefined)));
    const label = `${e.applicantCode ?? '(unknown)'} ${e.cluster ?? ''} [${e.messageCaseIds.join(', ')}]`;
    if (apps.size !== 1 || apps.has(undefined)) {
      diffs.push(
        `${label}: its messages are in ${apps.size} application(s)${apps.has(undefined) ? ', some missing' : ''}`,
      );
      continue;
    }
    const a = [...apps][0]!;
    if ((a.applicant?.code ?? null) !== e.applicantCode) diffs.push(`${label}: applicant ${a.applicant?.code ?? null}`);
    const flags = [...new Set(a.flags.map((f) => f.code))].sort().join();
    if (flags !== [...e.flags].sort().join())
      diffs.push(`${label}: flags [${flags}] ≠ [${[...e.flags].sort().join()}]`);
    if (JSON.stringify(a.copies) !== JSON.stringify(e.copies))
      diffs.push(`${label}: copies ${JSON.stringify(a.copies)}`);
    for (const [k, v] of Object.entries(e.documents))
      if (a.documents[k] !== v) diffs.push(`${label}: documents.${k} = ${a.documents[k]}`);
    const distinctIds = new Set(ids);
    if (a.messages.length !== distinctIds.size)
      diffs.push(`${label}: ${a.messages.length} messages, expected ${distinctIds.size}`);
  }
  const expectedApps = corpus.scenario.applications.length;
  if (exp.applications.length !== expectedApps)
    diffs.push(`${exp.applications.length} applications, expected ${expectedApps}`);
  return diffs;
}
