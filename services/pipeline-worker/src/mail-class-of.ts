import { classifyMail, reportedMessageIds, type TMailClass, type TParsedMessage } from '@intake/domain';
import { isOurMessageId } from '@intake/ack-mailer';
import { findReferencedApplication, knownReferences, type Queryable } from '@intake/register-store';
import { CARRIED_FLAGS } from '@intake/validation-rules';

const DELIVERY_REPORT = /^\s*multipart\/report\b/i;

/**
 * What a parsed mail is (submission, auto-reply, bounce, reply to our 回执)
 * and, when it is not a submission, the application it refers to. The
 * decision itself is @intake/domain's classifyMail; this binds it to the
 * register (which Message-IDs are ours or registered) and to the raw bytes
 * (the Message-ID a delivery report names).
 */
export async function mailClassOf(
  q: Queryable,
  parsed: TParsedMessage,
  raw: Buffer,
  ackFrom: string,
): Promise<{ mailClass: TMailClass; joinApplicationId: number | null }> {
  const h = parsed.headers;
  if (!h) return { mailClass: classifyMail(inputOf(parsed, [], new Set(), ackFrom)), joinApplicationId: null };
  const refs = [...(h.inReplyTo ? [h.inReplyTo] : []), ...h.references];
  const reported = DELIVERY_REPORT.test(h.contentType ?? '') ? reportedMessageIds(raw.toString('latin1')) : [];
  const known = await knownReferences(q, refs);
  const mailClass = classifyMail(inputOf(parsed, reported, known, ackFrom));
  if (mailClass.kind === 'submission') return { mailClass, joinApplicationId: null };
  const ref = await findReferencedApplication(q, mailClass.refersTo);
  return { mailClass, joinApplicationId: ref?.applicationId ?? null };
}

function inputOf(p: TParsedMessage, reported: string[], known: ReadonlySet<string>, ackFrom: string) {
  const h = p.headers;
  return {
    headers: {
      inReplyTo: h?.inReplyTo ?? null,
      references: h?.references ?? [],
      autoSubmitted: h?.autoSubmitted ?? null,
      precedence: h?.precedence ?? null,
      returnPath: h?.returnPath ?? null,
      loopGuard: h?.loopGuard ?? null,
      contentType: h?.contentType ?? null,
      xAutoreply: h?.xAutoreply ?? null,
      xAutorespond: h?.xAutorespond ?? null,
      fromAddress: h?.fromAddress ?? null,
    },
    from: p.from,
    subject: p.subject,
    messageId: p.messageId,
    hasContent: p.attachments.length > 0 || p.projects.length > 0,
    reportedMessageIds: reported,
    knownReferences: known,
    isOurMessageId: (id: string) => isOurMessageId(id, ackFrom),
  };
}

/** Correspondence keeps only the flags about the mail itself (never MISSING_*, LATE, figures). */
export function correspondenceFlags(p: TParsedMessage): TParsedMessage['flags'] {
  return p.flags.filter((f) => CARRIED_FLAGS.has(f.code));
}
