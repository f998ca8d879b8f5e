export { createDashboard, type Dashboard } from './create-dashboard.js';
export type { DashboardDeps, DashboardTriggers } from './context.js';
export {
  addUser,
  authenticate,
  hashPassword,
  verifyPassword,
  ROLES,
  type Role,
  type StaffUser,
  type AddUserInput,
} from './users.js';
export {
  createRawAttachmentLoader,
  type LoadAttachment,
  type LoadedAttachment,
  type RawSource,
} from './load-attachment.js';
export { renderStaticRegister, type StaticRegisterData } from './views/static-register.js';
export { html, escapeHtml, SafeHtml } from './html.js';
export { firstPageTiming } from './first-page-timing.js';
