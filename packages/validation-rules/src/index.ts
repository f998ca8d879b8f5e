export * from './views.js';
export { evaluateApplication } from './evaluate-application.js';
export { evaluateMessage } from './evaluate-message.js';
export { thresholdFlags } from './threshold-flags.js';
export { projectKey, normalizeText as normalizeText } from './project-key.js';
