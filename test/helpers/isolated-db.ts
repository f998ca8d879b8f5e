import { openIsolatedSchema, type Db } from '@intake/register-store';

/**
 * A fresh schema in the test PostgreSQL per test (search_path in the URL), so
 * tests and repeated runs never see each other's rows; dropped on cleanup.
 */
export async function createIsolatedDb(
  baseUrl = process.env.TEST_DATABASE_URL,
): Promise<{ db: Db; url: string; drop: () => Promise<void> }> {
  if (!baseUrl)
    throw new Error('TEST_DATABASE_URL is not set: the integration global setup starts PostgreSQL and sets it');
  return openIsolatedSchema(baseUrl, { prefix: 't' });
}
