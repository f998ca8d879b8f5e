import { M001_LEDGER } from './001-ledger.js';
import { M003_ACKS } from './003-acks.js';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

/** Append only: a migration that shipped is never edited, a new one follows it. */
export const MIGRATIONS: readonly Migration[] = [M001_LEDGER, M003_ACKS];
