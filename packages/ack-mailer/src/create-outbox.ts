import type { Db } from '@intake/register-store';
import { composeAndStore, countRecentReplies, getAck, listAcksForMessage, recordSkip } from './outbox-store.js';
import { deliverAck, type DeliverAckOptions } from './deliver-ack.js';

/** The outbox bound to one database, for callers that prefer an object. */
export function createOutbox(db: Db) {
  return {
    recordSkip: (input: Parameters<typeof recordSkip>[1]) => recordSkip(db, input),
    composeAndStore: (input: Parameters<typeof composeAndStore>[1]) => composeAndStore(db, input),
    deliverAck: (o: DeliverAckOptions) => deliverAck(db, o),
    getAck: (sourceSha256: string, kind: string) => getAck(db, sourceSha256, kind),
    listAcksForMessage: (sourceSha256: string) => listAcksForMessage(db, sourceSha256),
    countRecentReplies: (toAddress: string, withinMs?: number) => countRecentReplies(db, toAddress, withinMs),
  };
}
