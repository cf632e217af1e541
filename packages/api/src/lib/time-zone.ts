/**
 * The canonical IANA name of `name` ('europe/paris' → 'Europe/Paris'), or null when it is not
 * one. Offsets and abbreviations that Intl might accept are refused: MongoDB's date operators
 * are only given zone names both sides know.
 */
export function canonicalTimeZone(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The zone's wall-clock reading at `at` (to the second), written as the UTC instant with the
 * same digits: `new Date(wallClock(at, zone)).getUTCHours()` is the hour a clock there shows.
 */
export function wallClock(at: number, timeZone: string): number {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClockFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((entry) => entry.type === type)?.value ?? 0);
  return Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
}

/** "2031-06-14 19:30:00" as a clock in `timeZone` shows it (spreadsheets read it as a date). */
export function localDateTime(at: Date, timeZone: string): string {
  return new Date(wallClock(at.getTime(), timeZone)).toISOString().slice(0, 19).replace('T', ' ');
}
