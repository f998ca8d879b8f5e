/**
 * Our loop-guard header: every reply carries it, and a message that comes back
 * with it (an auto-responder quoting our headers, a forward, our own reply
 * landing in the intake mailbox) is never answered. Same name as
 * @intake/mail-parsing's LOOP_GUARD_HEADER, which reads it into headers.loopGuard.
 */
export const LOOP_GUARD_HEADER = 'X-Intake-Loop';

/** local part of every Message-ID we generate: `<ack.<sha>.<kind>@<domain>>` */
export const OUR_MESSAGE_ID_PREFIX = 'ack.';
