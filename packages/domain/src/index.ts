export * from './parsed-message.js';
export * from './flags.js';
export * from './labels.js';
export * from './app-error.js';
export * from './campaign-profile.js';
export * from './applicant-directory.js';
export * from './time.js';
export * from './header-block.js';
