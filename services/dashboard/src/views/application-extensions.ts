import type { ApplicationDetail, RegisteredAttachment, RegisteredMessage } from '@intake/register-store';
import type { DashboardDeps } from '../context.js';
import { html, type SafeHtml } from '../html.js';

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
export function loadApplicationExtensions(
  _deps: DashboardDeps,
  _app: ApplicationDetail,
): Promise<ApplicationPageExtensions> {
  return Promise.resolve(NO_EXTENSIONS);
}
