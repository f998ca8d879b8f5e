import { isAfterDeadline, type TCampaignProfile } from '@intake/domain';

/**
 * Who may file for whom (issue 12.1), as pure policy: a mail is attributed to
 * an applicant by its content, and this decides whether its sender address is
 * one that applicant is known to write from.
 */

/** What the last validation decided about a message's sender (`messages.sender_status`). */
export type SenderStatus = 'confirmed' | 'proposed' | 'unconfirmed' | 'rejected';
export type BookState = 'proposed' | 'confirmed' | 'rejected';
/** profile: the campaign profile's `senders`; first-mail: proposed by the applicant's first on-time mail */
export type BookSource = 'profile' | 'first-mail' | 'staff';

export interface BookEntry {
  /** lower-case address, or `@domain` (profile entries only) */
  address: string;
  state: BookState;
  source: BookSource;
}

/** The profile's `senders` of one applicant, as confirmed entries. */
export function profileEntries(profile: Pick<TCampaignProfile, 'senders'>, applicantCode: string): BookEntry[] {
  return profile.senders
    .filter((s) => s.applicantCode === applicantCode)
    .map((s) => ({ address: s.address.trim().toLowerCase(), state: 'confirmed' as const, source: 'profile' as const }));
}

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@'));

/**
 * An address's standing with one applicant. A staff decision on the address
 * itself wins; then the profile's address, then a first-mail proposal; then a
 * profile `@domain`; anything else is unconfirmed.
 */
export function senderStatusOf(address: string | null, entries: readonly BookEntry[]): SenderStatus {
  if (!address) return 'unconfirmed';
  const a = address.toLowerCase();
  const exact = entries.filter((e) => e.address === a);
  const pick = exact.find((e) => e.source === 'staff') ?? exact.find((e) => e.source === 'profile') ?? exact[0];
  if (pick) return pick.state;
  const byDomain = entries.find((e) => e.address.startsWith('@') && e.address === domainOf(a));
  return byDomain ? byDomain.state : 'unconfirmed';
}

/** proposed counts as confirmed until staff reject it (README: what the desk trusts, and why). */
export function countsAsConfirmed(status: SenderStatus): boolean {
  return status === 'confirmed' || status === 'proposed';
}

/**
 * The first on-time mail of an applicant proposes its address: only while the
 * applicant's book is empty (no profile address, no staff decision, no earlier
 * proposal), so a stranger who writes second never becomes "proposed".
 */
export function shouldProposeSender(
  address: string | null,
  receivedAt: Date,
  entries: readonly BookEntry[],
  profile: Pick<TCampaignProfile, 'deadline'>,
): boolean {
  return !!address && entries.length === 0 && !isAfterDeadline(receivedAt, profile.deadline);
}

/** The flag detail staff read beside UNCONFIRMED_SENDER. */
export function describeUnconfirmedSender(address: string | null, applicantName: string, status: SenderStatus): string {
  const who = address ?? '（无发件地址）';
  return status === 'rejected'
    ? `发件邮箱 ${who} 已被工作人员否认为${applicantName}的邮箱；本邮件材料已计入，但不替换已确认发件人的文件`
    : `发件邮箱 ${who} 尚未确认为${applicantName}的邮箱（请在“发件邮箱”中确认或否认）；本邮件材料已计入，但不替换已确认发件人的文件`;
}
