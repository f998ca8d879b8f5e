import { defineConfig } from 'vitest/config';

/**
 * Runs the dashboard's browser test alone, without the integration project's
 * global server setup (it needs no Redis/PostgreSQL/IMAP: in-memory PGlite):
 *   npx vitest run -c services/dashboard/vitest.integration.config.ts
 * Conditions: "source" for the workspace packages; no explicit "import", which
 * would also steer CJS require() calls inside dependencies (@fastify/helmet's
 * require('helmet')) to ESM builds.
 */
const conditions = ['source', 'module', 'node', 'development|production'];
export default defineConfig({
  root: new URL('../..', import.meta.url).pathname,
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: { include: ['test/integration/dashboard*.test.ts'], testTimeout: 180_000, hookTimeout: 180_000 },
});
