import { describe, expect, it } from 'vitest';
import { planFetchBatches, uidSet } from './fetch-plan.js';

const limits = { maxMessages: 4, firstMessages: 1, maxBytes: 100 };
const uidsOf = (batches: Array<{ uids: number[] }>) => batches.map((b) => b.uids);

describe('planFetchBatches', () => {
  it('starts with one message and doubles the cap up to maxMessages', () => {
    const sized = Array.from({ length: 12 }, (_, k) => ({ uid: k + 1, size: 1 }));
    expect(uidsOf(planFetchBatches(sized, limits))).toEqual([[1], [2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12]]);
  });

  it('carries the ramp on from the batches planned before', () => {
    const sized = [5, 6, 7, 8, 9].map((uid) => ({ uid, size: 1 }));
    expect(uidsOf(planFetchBatches(sized, limits, 2))).toEqual([[5, 6, 7, 8], [9]]);
  });

  it('closes a batch before a message that would take it over maxBytes, and fetches a larger one alone', () => {
    const sized = [
      { uid: 10, size: 30 },
      { uid: 11, size: 30 },
      { uid: 12, size: 50 },
      { uid: 13, size: 250 },
      { uid: 14, size: 10 },
    ];
    expect(planFetchBatches(sized, { ...limits, firstMessages: 4 })).toEqual([
      { uids: [10, 11], bytes: 60 },
      { uids: [12], bytes: 50 },
      { uids: [13], bytes: 250 },
      { uids: [14], bytes: 10 },
    ]);
  });

  it('keeps UID order whatever order the server answered in, and plans nothing for nothing', () => {
    const sized = [3, 1, 2].map((uid) => ({ uid, size: 1 }));
    expect(uidsOf(planFetchBatches(sized, { ...limits, firstMessages: 4 }))).toEqual([[1, 2, 3]]);
    expect(planFetchBatches([], limits)).toEqual([]);
  });
});

describe('uidSet', () => {
  it('collapses runs of consecutive UIDs', () => {
    expect(uidSet([1, 2, 3, 5, 7, 8, 10])).toBe('1:3,5,7:8,10');
    expect(uidSet([42])).toBe('42');
    expect(uidSet([])).toBe('');
  });
});
