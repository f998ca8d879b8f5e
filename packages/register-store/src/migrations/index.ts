import { M001_LEDGER } from './001-ledger.js';
import { M002_REGISTER } from './002-register.js';
import { M003_ACKS } from './003-acks.js';
import { M004_USERS } from './004-users.js';
import { M005_SENDERS } from './005-senders.js';
import { M006_CORRECTIONS } from './006-corrections.js';
import { M007_COPY_FACTS } from './007-copy-facts.js';
import { M008_OCR_PAGES } from './008-ocr-pages.js';
import { M009_MAILBOX_STATE } from './009-mailbox-state.js';
import { M010_ACKS_IDENTITY } from './010-acks-identity.js';
import { M011_LOGIN_FAILURES } from './011-login-failures.js';
import { M012_PARSE_ATTEMPTS } from './012-parse-attempts.js';
import { M013_PENDING_PEERS } from './013-pending-peers.js';
import { M014_RAW_SEGMENTS } from './014-raw-segments.js';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

/** Append only: a migration that shipped is never edited, a new one follows it. */
export const MIGRATIONS: readonly Migration[] = [
  M001_LEDGER,
  M002_REGISTER,
  M003_ACKS,
  M004_USERS,
  M005_SENDERS,
  M006_CORRECTIONS,
  M007_COPY_FACTS,
  M008_OCR_PAGES,
  M009_MAILBOX_STATE,
  M010_ACKS_IDENTITY,
  M011_LOGIN_FAILURES,
  M012_PARSE_ATTEMPTS,
  M013_PENDING_PEERS,
  M014_RAW_SEGMENTS,
];
