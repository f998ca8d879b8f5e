import { createHash } from 'node:crypto';

/**
 * Which queries run as named prepared statements on PostgreSQL, and under what name.
 *
 * Why: a message costs about 57 statements, and PostgreSQL spent a fifth of its CPU planning
 * them again each time (pg_stat_statements: 2.9 ms of planning per message). A named statement
 * is parsed and planned once per connection; node-postgres prepares it on first use.
 *
 * A text is named from its second use, so one-off texts (an export, a migration) never are;
 * texts that vary in shape (multi-row inserts, one text per row count) are bounded by `maxNamed`:
 * past it, a new text stays unnamed, so no connection holds more than `maxNamed` statements. The
 * name is the text's hash, so one name never means two texts on a connection.
 */
export class StatementNames {
  /** text → its name once named; null: seen once */
  private readonly texts = new Map<string, string | null>();
  private named = 0;
  private readonly refused = new Set<string>();

  constructor(
    private readonly maxNamed = 256,
    /** texts remembered as seen once, so the map stays bounded however varied the texts */
    private readonly maxSeen = 4096,
  ) {}

  /** The name to prepare `text` under, or null: run it unnamed. */
  nameFor(text: string): string | null {
    if (this.refused.has(text)) return null;
    const known = this.texts.get(text);
    if (known) return known;
    if (known === undefined) {
      if (this.texts.size < this.maxSeen) this.texts.set(text, null);
      return null;
    }
    if (this.named >= this.maxNamed) return null;
    const name = `intake_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    this.texts.set(text, name);
    this.named++;
    return name;
  }

  /**
   * Never name `text` again: PostgreSQL refused a prepared plan whose result columns changed
   * under it (a migration altered a table a `select *` reads).
   */
  refuse(text: string): void {
    this.refused.add(text);
  }
}

/** PostgreSQL's refusal of a prepared statement whose result type changed (SQLSTATE 0A000). */
export function isStalePreparedPlan(err: unknown): boolean {
  return (
    err instanceof Error &&
    (err as { code?: unknown }).code === '0A000' &&
    /cached plan must not change result type/.test(err.message)
  );
}
