import type { Document } from 'bson';
import { evalExpr } from 'mingo/core';
import * as dateOperators from 'mingo/operators/expression/date';
import type { Options } from 'mingo/types';

/*
 * Date operators where mingo differs from MongoDB: $dateTrunc ignores the timezone for calendar
 * units, and $dateAdd by months overflows into the next month instead of clamping.
 */
const MS = {
  millisecond: 1,
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
} as const;
const MONTHS = { month: 1, quarter: 3, year: 12 } as const;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** MongoDB aligns bins to 2000-01-01T00:00:00Z. */
const REFERENCE = Date.UTC(2000, 0, 1);

const formatters = new Map<string, Intl.DateTimeFormat>();

export function timezoneOffsetMinutes(timezone: string | undefined, at: number): number {
  if (!timezone || timezone === 'UTC' || timezone === 'GMT' || timezone === 'Z') return 0;
  const fixed = /^([+-])(\d{2}):?(\d{2})?$/.exec(timezone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0));
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, formatter);
  }
  const parts = formatter.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((entry) => entry.type === type)?.value ?? 0);
  const wallClock = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return Math.round((wallClock - (at - (at % 1000))) / 60_000);
}

function floorToBin(value: number, origin: number, bin: number): number {
  const distance = (value - origin) % bin;
  return value - (distance < 0 ? distance + bin : distance);
}

function truncateWallClock(
  local: number,
  unit: string,
  binSize: number,
  startOfWeek: string,
): number {
  if (unit in MS) return floorToBin(local, REFERENCE, binSize * MS[unit as keyof typeof MS]);
  if (unit === 'week') {
    const startDay = WEEKDAYS.indexOf(startOfWeek.slice(0, 3).toLowerCase());
    const firstWeekStart =
      REFERENCE + ((startDay - new Date(REFERENCE).getUTCDay() + 7) % 7) * MS.day;
    return floorToBin(local, firstWeekStart, binSize * 7 * MS.day);
  }
  const date = new Date(local);
  const months = (date.getUTCFullYear() - 2000) * 12 + date.getUTCMonth();
  const bin = binSize * MONTHS[unit as keyof typeof MONTHS];
  const start = months - (((months % bin) + bin) % bin);
  return Date.UTC(2000 + Math.floor(start / 12), ((start % 12) + 12) % 12, 1);
}

export function dateTrunc(obj: unknown, expr: unknown, options: Options): Date | null {
  const args = evalExpr(obj, expr, options) as Document;
  const { date, unit, timezone } = args;
  if (date === null || date === undefined || unit === null || unit === undefined) return null;
  if (!(date instanceof Date))
    throw new Error("$dateTrunc: 'date' must resolve to a valid Date object.");
  if (!(unit in MS) && !(unit in MONTHS) && unit !== 'week')
    throw new Error(`$dateTrunc: unit '${unit}' is invalid.`);
  const binSize = Number(args.binSize ?? 1);
  if (!(binSize > 0)) throw new Error("$dateTrunc requires 'binSize' to be greater than 0");
  const instant = date.getTime();
  const local = instant + timezoneOffsetMinutes(timezone, instant) * 60_000;
  const truncated = truncateWallClock(local, unit, binSize, args.startOfWeek ?? 'sun');
  // The offset at the result can differ from the input's across a DST change.
  const guess = truncated - timezoneOffsetMinutes(timezone, instant) * 60_000;
  return new Date(truncated - timezoneOffsetMinutes(timezone, guess) * 60_000);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** Adds calendar months in wall-clock time, clamping the day (Jan 31 + 1 month = Feb 29). */
function addMonths(instant: number, months: number, timezone: string | undefined): number {
  const offset = timezoneOffsetMinutes(timezone, instant) * 60_000;
  const local = new Date(instant + offset);
  const target = local.getUTCMonth() + months;
  const year = local.getUTCFullYear() + Math.floor(target / 12);
  const month = ((target % 12) + 12) % 12;
  local.setUTCFullYear(year, month, Math.min(local.getUTCDate(), daysInMonth(year, month)));
  const shifted = local.getTime();
  return shifted - timezoneOffsetMinutes(timezone, shifted - offset) * 60_000;
}

export function dateAdd(obj: unknown, expr: unknown, options: Options): Date | null {
  const args = evalExpr(obj, expr, options) as Document;
  const { startDate, unit, amount, timezone } = args;
  if (!(unit in MONTHS))
    return dateOperators.$dateAdd(obj as Document, expr as never, options) as Date | null;
  if (startDate === null || startDate === undefined || amount === null || amount === undefined)
    return null;
  if (!(startDate instanceof Date))
    throw new Error('$dateAdd requires startDate to be convertible to a date');
  return new Date(
    addMonths(startDate.getTime(), Number(amount) * MONTHS[unit as keyof typeof MONTHS], timezone),
  );
}
