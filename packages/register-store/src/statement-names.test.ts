// Guards the prepared-statement naming of the PostgreSQL register (issue 14.4): a text is named
// from its second use, under one stable name; the number of names and of remembered texts is
// bounded however varied the texts; a refused text is never named again.
import { describe, expect, it } from 'vitest';
import { isStalePreparedPlan, StatementNames } from './statement-names.js';

describe('statement names', () => {
  it('names a text from its second use, always the same name', () => {
    const n = new StatementNames();
    const sql = 'select id from applications where group_key = $1';
    expect(n.nameFor(sql)).toBeNull();
    const name = n.nameFor(sql);
    expect(name).toMatch(/^intake_[0-9a-f]{24}$/);
    expect(n.nameFor(sql)).toBe(name);
    expect(n.nameFor('select 1 where $1::int = 1')).toBeNull();
  });

  it('stops naming new texts at the bound, and keeps the ones it named', () => {
    const n = new StatementNames(2);
    const texts = ['a $1', 'b $1', 'c $1'];
    for (const t of texts) n.nameFor(t);
    const names = texts.map((t) => n.nameFor(t));
    expect(names[0]).not.toBeNull();
    expect(names[1]).not.toBeNull();
    expect(names[0]).not.toBe(names[1]);
    expect(names[2]).toBeNull();
    expect(n.nameFor('a $1')).toBe(names[0]);
  });

  it('remembers a bounded number of texts seen once', () => {
    const n = new StatementNames(10, 3);
    for (const t of ['a', 'b', 'c', 'd']) n.nameFor(t);
    // 'd' came after the bound: seen again, it is still "first use"
    expect(n.nameFor('d')).toBeNull();
    expect(n.nameFor('a')).not.toBeNull();
  });

  it('never names a refused text again', () => {
    const n = new StatementNames();
    n.nameFor('select * from t where a = $1');
    expect(n.nameFor('select * from t where a = $1')).not.toBeNull();
    n.refuse('select * from t where a = $1');
    expect(n.nameFor('select * from t where a = $1')).toBeNull();
  });

  it("recognises PostgreSQL's refusal of a stale plan and nothing else", () => {
    const stale = Object.assign(new Error('cached plan must not change result type'), { code: '0A000' });
    const other = Object.assign(new Error('syntax error at or near "x"'), { code: '42601' });
    expect(isStalePreparedPlan(stale)).toBe(true);
    expect(isStalePreparedPlan(other)).toBe(false);
    expect(isStalePreparedPlan('cached plan must not change result type')).toBe(false);
  });
});
