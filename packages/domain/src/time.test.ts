// Guards formatInZone (wall time in the campaign's zone, used by the 回执, the register and the
// dashboard) now that it keeps one formatter per zone: the same instant gives the same text in
// each zone whichever was asked first, a date string works like a Date, and an unknown zone
// still throws every time instead of being remembered.
import { describe, expect, it } from 'vitest';
import { formatInZone, isAfterDeadline } from './time.js';

describe('formatInZone', () => {
  it('formats the same instant in each zone, in any order of asking', () => {
    const at = new Date('2020-05-15T15:59:59Z');
    // written by hand: UTC+8 with no daylight saving; New York on EDT (UTC-4) in May
    expect(formatInZone(at, 'Asia/Shanghai')).toBe('2020-05-15 23:59:59');
    expect(formatInZone(at, 'America/New_York')).toBe('2020-05-15 11:59:59');
    expect(formatInZone(at, 'UTC')).toBe('2020-05-15 15:59:59');
    expect(formatInZone(at, 'Asia/Shanghai')).toBe('2020-05-15 23:59:59');
    expect(formatInZone('2020-05-15T16:00:00Z', 'Asia/Shanghai')).toBe('2020-05-16 00:00:00');
  });

  it('keeps midnight as 00, not 24', () => {
    expect(formatInZone(new Date('2020-05-14T16:00:00Z'), 'Asia/Shanghai')).toBe('2020-05-15 00:00:00');
  });

  it('throws for an unknown zone each time, and still formats known ones after it', () => {
    expect(() => formatInZone(new Date(0), 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => formatInZone(new Date(0), 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(formatInZone(new Date(0), 'UTC')).toBe('1970-01-01 00:00:00');
  });

  it('formats correctly past the number of zones it keeps', () => {
    // more distinct zones than are kept, every one a real zone of this ICU
    const zones = Intl.supportedValuesOf('timeZone').slice(0, 40);
    expect(new Set(zones).size).toBe(40);
    for (const z of zones) expect(formatInZone(new Date(0), z)).toMatch(/^19(69|70)-\d\d-\d\d \d\d:\d\d:\d\d$/);
    // Etc/GMT+1 is UTC-1 (POSIX sign): midnight UTC is 23:00 the day before
    for (const z of zones) formatInZone(new Date(0), z);
    expect(formatInZone(new Date(0), 'Etc/GMT+1')).toBe('1969-12-31 23:00:00');
    expect(formatInZone(new Date(0), 'Etc/GMT-12')).toBe('1970-01-01 12:00:00');
  });
});

describe('isAfterDeadline', () => {
  it('counts the deadline itself as in time', () => {
    expect(isAfterDeadline('2020-05-15T15:59:59Z', '2020-05-15T15:59:59Z')).toBe(false);
    expect(isAfterDeadline(new Date('2020-05-15T16:00:00Z'), '2020-05-15T15:59:59Z')).toBe(true);
  });
});
