/**
 * How many automatic replies may go out per hour (ACK_RATE_LIMIT_PER_HOUR,
 * ACK_RATE_LIMIT_PER_DOMAIN_PER_HOUR, ACK_RATE_LIMIT_TOTAL_PER_HOUR): the desk
 * is a public address, and a flood of forged mail must not turn it into a
 * mail cannon aimed at one mailbox, one organisation or the world. A cap of 0
 * stops automatic replies of that scope altogether.
 */
export interface AckCaps {
  perAddress: number;
  perDomain: number;
  total: number;
}

/** Replies sent in the last hour: to one address, to its domain, in all. */
export interface RecentReplies {
  toAddress: number;
  toDomain: number;
  total: number;
}

/**
 * A campaign has tens of applicant units, each sending a few mails; several
 * units may share one provincial domain (jl.gov.cn), so the domain cap sits
 * well above the per-address one.
 */
export const DEFAULT_ACK_CAPS: AckCaps = { perAddress: 10, perDomain: 60, total: 300 };
