export * from './views.js';
export { evaluateApplication, CARRIED_FLAGS } from './evaluate-application.js';
export { evaluateMessage } from './evaluate-message.js';
export { thresholdFlags } from './threshold-flags.js';
export { projectKey, normalizeText as normalizeText } from './project-key.js';
export * from './corrections.js';
export { revalidateWithPeers, type RevalidateOutcome } from './revalidate.js';
export {
  pairCopies,
  copySimilarity,
  copyDifferences,
  bigramDice,
  mismatchFlags,
  normalizeForPairing,
  MIN_COPY_SIMILARITY,
  COPY_TEXT_CHARS,
  type CopyCandidate,
  type CopyPair,
} from './copy-pairing.js';
