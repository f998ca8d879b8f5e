/**
 * "Validate these applications again, and every application whose
 * DUPLICATE_PROJECT status may have changed because of them" — one policy for
 * staff corrections, moves, merges, splits and reprocessing.
 *
 * `validate(id)` stores one application's evaluation and returns the peers
 * whose duplicate status its change may affect (those that share a project key
 * it gained or lost). Peers are validated in turn until nothing changes: an
 * application's own project keys do not depend on its peers, so its second
 * validation reports no peers and the work list drains — each application is
 * validated at most twice in practice. `maxValidations` is a guard against a
 * `validate` that keeps reporting peers (a bug), not a depth limit.
 */
export interface RevalidateOutcome {
  /** application ids in the order they were validated (an id may appear twice) */
  validated: number[];
  /** true when maxValidations stopped the work list before it drained */
  truncated: boolean;
}

export async function revalidateWithPeers(
  ids: readonly number[],
  validate: (id: number) => Promise<{ peersToRevalidate: readonly number[] }>,
  opts: { maxValidations?: number } = {},
): Promise<RevalidateOutcome> {
  const queue: number[] = [];
  const pending = new Set<number>();
  const push = (id: number): void => {
    if (pending.has(id)) return;
    pending.add(id);
    queue.push(id);
  };
  for (const id of ids) push(id);
  const max = opts.maxValidations ?? 4 * (pending.size + 25);
  const validated: number[] = [];
  while (queue.length > 0) {
    if (validated.length >= max) return { validated, truncated: true };
    const id = queue.shift()!;
    pending.delete(id);
    const r = await validate(id);
    validated.push(id);
    for (const peer of r.peersToRevalidate) if (peer !== id) push(peer);
  }
  return { validated, truncated: false };
}
