import type { TAttachment, TProject } from '@intake/domain';
import {
  correctAttachments,
  correctProjectRows,
  matchAttachment,
  matchProjectRow,
  type CorrectionSet,
  type ProjectLine,
} from '@intake/validation-rules';
import type { Queryable } from '../db.js';

/** The reading of one message of an application: what a correction's target is looked up in. */
export interface MessageReading {
  messageRowId: number;
  sha256: string;
  attachments: TAttachment[];
  projects: TProject[];
}

/** A message of this application by its raw sha256, with its attachments and project rows as read. */
export async function loadMessageReading(
  q: Queryable,
  applicationId: number,
  sha256: string,
): Promise<MessageReading | null> {
  const rows = await q.query<{ id: number; parsed: { attachments?: TAttachment[]; projects?: TProject[] } }>(
    'select id, parsed from messages where application_id = $1 and sha256 = $2',
    [applicationId, sha256],
  );
  const m = rows[0];
  if (!m) return null;
  return {
    messageRowId: m.id,
    sha256,
    attachments: m.parsed.attachments ?? [],
    projects: m.parsed.projects ?? [],
  };
}

/** The project row a request names, as it counts now (earlier fixes applied); null when the row is gone. */
export function currentProjectLine(
  m: MessageReading,
  refKey: string,
  set: CorrectionSet,
): (ProjectLine & { reading: TProject }) | null {
  const i = matchProjectRow(m.projects, { refKey, projectKey: null });
  if (i < 0) return null;
  const line = correctProjectRows(m.sha256, m.projects, set.projects, [])[i]!;
  return { ...line, reading: m.projects[i]! };
}

/** The attachment a request names, as it counts now; null when the message holds no such attachment. */
export function currentAttachment(
  m: MessageReading,
  target: { sha256: string; path: string },
  set: CorrectionSet,
): { reading: TAttachment; effective: TAttachment } | null {
  const i = matchAttachment(m.attachments, target);
  if (i < 0) return null;
  return correctAttachments(m.sha256, m.attachments, set.attachments)[i]!;
}
