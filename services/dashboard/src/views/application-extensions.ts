import {
  loadOcrReadings,
  type ApplicationDetail,
  type RegisteredAttachment,
  type RegisteredMessage,
} from '@intake/register-store';
import type { DashboardDeps } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { attachmentWordsLine, documentFactsSection, ocrReadingsSection, pairsSection } from './document-views.js';

/**
 * Where other views plug into the application page without editing it:
 * extra panels after the messages (OCR text, scan ↔ electronic pairing,
 * document facts) and extra lines under one attachment. Each returns
 * escaped SafeHtml built with the `html` helper; the defaults add nothing.
 */
export interface ApplicationPageExtensions {
  /** panels after 来件记录 */
  sections: SafeHtml[];
  /** lines under an attachment (inside its box, after the actions) */
  attachment(m: RegisteredMessage, a: RegisteredAttachment): SafeHtml;
}

export const NO_EXTENSIONS: ApplicationPageExtensions = { sections: [], attachment: () => html`` };

/** Loaded once per page view (page-routes.ts calls it). */
export async function loadApplicationExtensions(
  deps: DashboardDeps,
  app: ApplicationDetail,
): Promise<ApplicationPageExtensions> {
  // what was read from the words of scans and formal documents (document-views.ts)
  const readings = await loadOcrReadings(deps.db, app.id);
  return {
    sections: [documentFactsSection(app), pairsSection(app), ocrReadingsSection(readings)],
    attachment: (m, a) => attachmentWordsLine(app, m, a),
  };
}
