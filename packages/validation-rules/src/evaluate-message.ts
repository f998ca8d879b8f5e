import type { TCampaignProfile, TFlag, TParsedMessage } from '@intake/domain';
import { CARRIED_FLAGS, evaluateApplication } from './evaluate-application.js';

/**
 * The flags one message can show on its own (what `intake parse` prints): the
 * application rules over a one-message application, plus what the parser
 * already put on the message.
 */
export function evaluateMessage(parsed: TParsedMessage, profile: TCampaignProfile): TFlag[] {
  const receivedAt = parsed.receivedAt ? new Date(parsed.receivedAt) : null;
  const own = parsed.flags.filter((f) => CARRIED_FLAGS.has(f.code));
  const ev = evaluateApplication(
    {
      applicant: parsed.applicant,
      cluster: parsed.cluster,
      field: parsed.field,
      messages: [
        {
          key: parsed.sha256 ?? 'message',
          // without any receipt time we cannot call it late
          receivedAt: receivedAt ?? new Date(0),
          attachments: parsed.attachments,
          projects: parsed.projects,
          metrics: parsed.metrics,
          ...(parsed.evidence ? { evidence: parsed.evidence } : {}),
          messageFlags: own,
        },
      ],
    },
    profile,
  );
  return ev.flags;
}
