// Guards issue 13: one revalidation policy. Before it, the dashboard followed
// peers three rounds deep, `intake reprocess` two passes and the corrections
// none, so a corrected project could leave DUPLICATE_PROJECT stale on the
// other application. The helper must reach every affected peer, stop when
// nothing changes, and never loop on a validator that keeps reporting peers.
import { describe, expect, it } from 'vitest';
import { revalidateWithPeers } from '@intake/validation-rules';

/**
 * A register in miniature: each application's project keys, and a validate()
 * that, like the real one, stores the keys it was last validated with and
 * reports peers sharing a key it gained or lost.
 */
function miniRegister(keys: Record<number, string[]>) {
  const stored = new Map<number, Set<string>>();
  const dupSeen = new Map<number, boolean>();
  const validate = async (id: number) => {
    const before = stored.get(id) ?? new Set<string>();
    const after = new Set(keys[id] ?? []);
    stored.set(id, after);
    const others = [...stored.entries()].filter(([o]) => o !== id);
    dupSeen.set(
      id,
      others.some(([, ks]) => [...after].some((k) => ks.has(k))),
    );
    const diff = [...before].filter((k) => !after.has(k)).concat([...after].filter((k) => !before.has(k)));
    const peers = others.filter(([, ks]) => diff.some((k) => ks.has(k))).map(([o]) => o);
    return { peersToRevalidate: peers };
  };
  return { stored, dupSeen, validate };
}

describe('revalidateWithPeers', () => {
  it('GIVEN a corrected project now equal to another application’s THEN both end up seeing the duplicate', async () => {
    const keys: Record<number, string[]> = { 1: ['x'], 2: ['y'] };
    const reg = miniRegister(keys);
    await revalidateWithPeers([1, 2], reg.validate);
    expect([reg.dupSeen.get(1), reg.dupSeen.get(2)]).toEqual([false, false]);
    // staff correct application 1's project so it equals 2's: only 1 is named, 2 must follow
    keys[1] = ['y'];
    const out = await revalidateWithPeers([1], reg.validate);
    expect(out).toEqual({ validated: [1, 2], truncated: false });
    expect([reg.dupSeen.get(1), reg.dupSeen.get(2)]).toEqual([true, true]);
    // and the correction removed again clears it on both
    keys[1] = ['x'];
    await revalidateWithPeers([1], reg.validate);
    expect([reg.dupSeen.get(1), reg.dupSeen.get(2)]).toEqual([false, false]);
  });

  it('GIVEN two touched applications that gain a shared key together THEN the first is validated again', async () => {
    const reg = miniRegister({ 1: ['k'], 2: ['k'] });
    const out = await revalidateWithPeers([1, 2], reg.validate);
    // 1 first sees nothing; 2 gains k shared with 1 and sends it back once
    expect(out.validated).toEqual([1, 2, 1]);
    expect(reg.dupSeen.get(1)).toBe(true);
    expect(reg.dupSeen.get(2)).toBe(true);
  });

  it('GIVEN a chain of peers THEN it follows them as deep as they go, without repeating a pending id', async () => {
    const calls: number[] = [];
    const next: Record<number, number[]> = { 1: [2, 2], 2: [3], 3: [4], 4: [] };
    const out = await revalidateWithPeers([1], async (id) => {
      calls.push(id);
      return { peersToRevalidate: calls.filter((c) => c === id).length === 1 ? (next[id] ?? []) : [] };
    });
    expect(out).toEqual({ validated: [1, 2, 3, 4], truncated: false });
  });

  it('GIVEN a validator that always reports a peer THEN it stops at the guard and says so', async () => {
    const out = await revalidateWithPeers([1], async (id) => ({ peersToRevalidate: [id === 1 ? 2 : 1] }), {
      maxValidations: 7,
    });
    expect(out.validated).toHaveLength(7);
    expect(out.truncated).toBe(true);
  });

  it('GIVEN no ids THEN nothing is validated', async () => {
    expect(await revalidateWithPeers([], async () => ({ peersToRevalidate: [1] }))).toEqual({
      validated: [],
      truncated: false,
    });
  });
});
