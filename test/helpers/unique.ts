import { randomBytes } from 'node:crypto';

/**
 * A name no other test or earlier run uses: lower-case letters, digits and
 * dashes only, so it is valid as a mailbox name, an address local part, a DNS
 * label, a database identifier (after dash → underscore) and a BullMQ prefix
 * (which must not contain ':').
 */
export function uniqueName(prefix: string): string {
  const safePrefix = prefix.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return `${safePrefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** A fresh address, by default at a fresh domain: the test servers accept any. */
export function uniqueAddress(prefix: string, domain = `${uniqueName('d')}.test`): string {
  return `${uniqueName(prefix)}@${domain}`;
}
