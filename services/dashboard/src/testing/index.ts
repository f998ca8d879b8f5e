/**
 * `@intake/dashboard/testing`: a small demo register for the dashboard's own
 * tests, the browser tests and screenshots. Not part of what the dashboard
 * serves: nothing in `src/` outside `testing/` imports it.
 */
export {
  DEMO_PARSER_VERSION,
  demoAttachmentLoader,
  demoFile,
  demoMessage,
  demoMessages,
  registerDemoMessage,
  seedDemoRegister,
} from './demo-register.js';
export { injectLogin, type InjectedSession } from './inject-login.js';
