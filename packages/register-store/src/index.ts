export * from './db.js';
export * from './migrate.js';
export * from './migrations/index.js';
export * from './ledger-store.js';
export * from './parse-attempts.js';
export * from './normalize.js';
export * from './receipt-number.js';
export * from './audit-log.js';
export * from './register-message.js';
export * from './validate-application.js';
export * from './applications.js';
export * from './acks/ack-reads.js';
export * from './review.js';
export * from './overview-stats.js';
export * from './missing-applicants.js';
export * from './exports/register-schema.js';
export * from './exports/register-json.js';
export * from './exports/register-csv.js';
export * from './exports/register-xlsx.js';
export * from './exports/register-table.js';
export { resolveApplication, refreshApplicationTimes } from './application-groups.js';
export * from './message-lookup.js';
export * from './dashboard-reads.js';
export * from './isolated-schema.js';
export * from './staff-accounts.js';
export * from './revalidate-applications.js';
export * from './application-merge.js';
export { resolveRetiredReceiptNo, listRetiredReceiptNos } from './application-retire.js';
export * from './corrections/correction-request.js';
export { correctApplication, type CorrectionContext } from './corrections/correct-application.js';
export { removeCorrection } from './corrections/remove-correction.js';
export { CORRECTION_SCOPES, type CorrectionScope } from './corrections/correction-store.js';
export type {
  CorrectionInfo,
  CorrectionRef,
  CorrectionStatus,
  ReadFacts,
  RegisterProject,
  RegisteredAttachment,
} from './corrections/correction-view.js';
export * from './corrections/correction-labels.js';
export { mainCorrectedCells, correctionNoteText, type CorrectedCell } from './exports/correction-cells.js';
export * from './ocr-pages.js';
export * from './sender-trust.js';
export * from './sender-book.js';
export * from './mailbox-state.js';
export * from './copy-facts.js';
export * from './correspondence.js';
export * from './reconcile-reads.js';
export type { AckRow, AckStatus } from './acks/ack-row.js';
