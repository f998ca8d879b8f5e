/**
 * One formatter per time zone: building an Intl.DateTimeFormat costs about 0.07 ms, several times what
 * formatting with one costs, and a message's validation, reply and register row format ten dates or so
 * (an export of thousands of rows, thousands). The zones come from the campaign profile and staff
 * settings; the cache still stops growing at a few dozen.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_CACHED_ZONES = 32;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const known = formatters.get(timeZone);
  if (known) return known;
  // an unknown zone throws RangeError here, as before, and nothing is cached
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  if (formatters.size < MAX_CACHED_ZONES) formatters.set(timeZone, f);
  return f;
}

/** Format an instant as local wall time in `timeZone`: 2020-05-15 23:59:59. */
export function formatInZone(date: Date | string, timeZone: string): string {
  const d = typeof date === 'string' ? new Date(date) : date;
  const parts = formatterFor(timeZone).formatToParts(d);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** true when `receivedAt` is after the profile's inclusive deadline */
export function isAfterDeadline(receivedAt: Date | string, deadlineIso: string): boolean {
  const t = typeof receivedAt === 'string' ? Date.parse(receivedAt) : receivedAt.getTime();
  return t > Date.parse(deadlineIso);
}
