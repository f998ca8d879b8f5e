// Guards the register's prepared statements on a real PostgreSQL (issue 14.4): a recurring query
// is prepared on the connection and gives the same rows; a query whose table a migration changed
// under its prepared plan still answers (with the new columns), in and out of a transaction.
import { afterEach, describe, expect, it } from 'vitest';
import { openIsolatedSchema, type Db } from '@intake/register-store';

let drop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await drop?.();
  drop = null;
});

/** one connection, so the statement prepared on it is the one the next query meets */
async function fresh(): Promise<Db> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: the integration global setup starts PostgreSQL and sets it');
  const iso = await openIsolatedSchema(url, { prefix: 't', poolSize: 1 });
  drop = () => iso.drop();
  await iso.db.exec('create table prep_probe (a int primary key, label text)');
  await iso.db.exec("insert into prep_probe values (1, 'one'), (2, 'two')");
  return iso.db;
}

const preparedHere = (db: Db) =>
  db.tx(async (q) =>
    (await q.query<{ statement: string }>('select statement from pg_prepared_statements')).map((r) => r.statement),
  );

describe('prepared statements on PostgreSQL', () => {
  it('prepares a query from its second use and answers it the same', async () => {
    const db = await fresh();
    const sql = 'select label from prep_probe where a = $1';
    const answers: string[] = [];
    for (const a of [1, 2, 1, 2]) {
      answers.push(...(await db.tx(async (q) => (await q.query<{ label: string }>(sql, [a])).map((r) => r.label))));
    }
    expect(answers).toEqual(['one', 'two', 'one', 'two']);
    expect(await preparedHere(db)).toContain(sql);
  });

  it('answers a prepared select * after a migration added a column', async () => {
    const db = await fresh();
    const sql = 'select * from prep_probe where a = $1';
    for (let i = 0; i < 3; i++) await db.tx((q) => q.query(sql, [1]));
    await db.exec('alter table prep_probe add column extra int default 7');
    // in a transaction the refusal aborts it (the job retries); the retry runs unnamed and sees the column
    await expect(db.tx((q) => q.query(sql, [1]))).rejects.toThrow(/cached plan must not change result type/);
    expect(await db.tx((q) => q.query(sql, [1]))).toEqual([{ a: 1, label: 'one', extra: 7 }]);
    // outside a transaction it answers at once
    for (let i = 0; i < 5; i++) expect(await db.query(sql, [2])).toEqual([{ a: 2, label: 'two', extra: 7 }]);
  });
});
