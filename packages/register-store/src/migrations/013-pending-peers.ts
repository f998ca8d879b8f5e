/**
 * Peers still to revalidate: the applications sharing a project key that an
 * application gained or lost, stored in the transaction that changed its keys
 * and cleared once they have been handed on. The change is seen only once (a
 * second validation finds the key set unchanged), so a worker that dies or a
 * COMMIT whose answer is lost between storing the keys and enqueueing the
 * peers would otherwise leave their DUPLICATE_PROJECT flag stale for good.
 */
export const M013_PENDING_PEERS = {
  id: 13,
  name: 'pending-peers',
  sql: `
alter table applications add column peers_pending bigint[] not null default '{}';
`,
} as const;
