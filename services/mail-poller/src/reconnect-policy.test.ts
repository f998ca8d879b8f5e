// Guards issue 12.11: with IMAP refusing connections the poller reconnected millions of times and wrote a
// log line per attempt. The next wait grows, caps and starts over after a good session; lines are per step
// while it grows, then one a minute.
import { describe, expect, it } from 'vitest';
import { decideNextWait, INITIAL_RECONNECT_STATE, type ReconnectDecision } from './reconnect-policy.js';

const POLICY = { baseMs: 1_000, maxMs: 8_000, logEveryMs: 60_000 };
const T0 = Date.parse('2026-03-01T08:00:00Z');
const half = () => 0.5;

/** Ends `n` sessions in a row without a sync, each right when the previous wait ran out. */
function refuse(n: number): ReconnectDecision[] {
  const out: ReconnectDecision[] = [];
  let state = INITIAL_RECONNECT_STATE;
  let at = T0;
  for (let i = 0; i < n; i++) {
    const d = decideNextWait(state, { at: new Date(at), synced: false }, POLICY, half);
    out.push(d);
    state = d.state;
    at = d.nextAttemptAt.getTime();
  }
  return out;
}

describe('decideNextWait', () => {
  it('doubles the wait from the base up to the cap (random 0.5: three quarters of each step)', () => {
    expect(refuse(6).map((d) => d.waitMs)).toEqual([750, 1500, 3000, 6000, 6000, 6000]);
  });

  it('keeps the start of the outage and schedules the next attempt after the wait', () => {
    const ds = refuse(3);
    expect(ds.map((d) => d.state.retryingSince?.toISOString())).toEqual([
      '2026-03-01T08:00:00.000Z',
      '2026-03-01T08:00:00.000Z',
      '2026-03-01T08:00:00.000Z',
    ]);
    expect(ds[2]!.nextAttemptAt.toISOString()).toBe('2026-03-01T08:00:05.250Z');
  });

  it('logs every step while the wait grows, then once a minute with the attempts in between', () => {
    // waits 0.75, 1.5, 3, then 6 s each: attempts at 0, .75, 2.25, 5.25, 11.25, 17.25 … s
    const ds = refuse(20);
    const logged = ds.flatMap((d, i) => (d.log ? [[i, d.attemptsLogged]] : []));
    // steps 0–2 ramp (1, 2, 4 s < cap 8 s); step 3 is the first at the cap: more than a minute since the
    // last line? no — 2.25 s; so its line waits until the attempt at ≥ 62.25 s (step 13: 5.25 + 10 × 6 = 65.25 s)
    expect(logged).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
      [13, 11],
    ]);
  });

  it('a session that synced starts the curve over and begins a new outage', () => {
    const before = refuse(5).at(-1)!;
    const at = new Date(T0 + 3_600_000);
    const d = decideNextWait(before.state, { at, synced: true }, POLICY, half);
    expect(d.waitMs).toBe(750);
    expect(d.state.retryingSince).toEqual(at);
    expect(d.log).toBe(true);
    expect(d.attemptsLogged).toBe(1);
  });

  it('over ten minutes of refused connections makes a few dozen attempts and fewer lines (defaults)', () => {
    const tenMinutes = (r: number) => {
      let state = INITIAL_RECONNECT_STATE;
      let at = T0;
      let attempts = 0;
      let lines = 0;
      while (at < T0 + 600_000) {
        const d = decideNextWait(state, { at: new Date(at), synced: false }, undefined, () => r);
        attempts++;
        if (d.log) lines++;
        state = d.state;
        at = d.nextAttemptAt.getTime();
      }
      return { attempts, lines };
    };
    // random 0 waits half of each step (the most attempts): 0.25+0.5+…+8 s, then 15 s each; lines: six
    // while ramping, then one a minute from 75.75 s (the first attempt a minute after the line at 7.75 s)
    expect(tenMinutes(0)).toEqual({ attempts: 45, lines: 15 });
    // random 0.99 waits nearly the whole step: 0.5+1+…+16 s, then ~29.85 s each; at the cap every third
    // attempt is a minute past the last line
    expect(tenMinutes(0.99)).toEqual({ attempts: 26, lines: 12 });
  });
});
