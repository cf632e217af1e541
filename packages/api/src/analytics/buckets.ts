import { wallClock } from '../lib/time-zone.ts';

/**
 * Time buckets for the analytics series: MongoDB's `$dateTrunc` counts per bucket in a time zone,
 * and the empty buckets in between are filled in here so charts show the quiet hours too.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface BucketSize {
  unit: 'minute' | 'hour' | 'day';
  binSize: number;
}

export interface BucketCount {
  _id: Date;
  count: number;
}

/** A `$group` stage counting documents per bucket of the date at `path` (e.g. '$createdAt'). */
export function countPerBucket(path: string, size: BucketSize, timezone: string) {
  return {
    $group: {
      _id: { $dateTrunc: { date: path, unit: size.unit, binSize: size.binSize, timezone } },
      count: { $sum: 1 },
    },
  };
}

/** Counts keyed by bucket start (epoch ms). */
export function byStart(rows: BucketCount[]): Map<number, number> {
  return new Map(rows.map((row) => [row._id.getTime(), row.count]));
}

/** Beyond this many buckets a gap is not filled (its non-empty buckets are still all there). */
const MAX_FILLED_BUCKETS = 3000;

/** The instant whose wall clock in `timeZone` reads `wall` (the offset can differ on either side of it). */
function instantOf(wall: number, timeZone: string): number {
  const guess = wall - (wallClock(wall, timeZone) - wall);
  return wall - (wallClock(guess, timeZone) - guess);
}

/**
 * The start of the bucket after the one starting at `start`. Days follow the zone's calendar
 * (23 or 25 hours across a DST change); minutes and hours are fixed lengths, which lines up
 * with `$dateTrunc` because UTC offsets are whole quarter hours (a 5-minute grid is the same in
 * every zone) and DST moves clocks by whole hours (but on Lord Howe Island, where the counted
 * buckets are still all kept by `bucketRange`).
 */
function nextBucket(start: number, size: BucketSize, timeZone: string): number {
  if (size.unit === 'day')
    return instantOf(wallClock(start, timeZone) + size.binSize * DAY, timeZone);
  return start + size.binSize * (size.unit === 'hour' ? HOUR : MINUTE);
}

/**
 * Every bucket start from the first to the last of `starts`, empty buckets included, in order.
 * The counted starts are always kept as they are, so nothing counted can be lost to the filling.
 */
export function bucketRange(
  starts: Iterable<number>,
  size: BucketSize,
  timeZone: string,
): number[] {
  const all = new Set(starts);
  if (all.size === 0) return [];
  const first = Math.min(...all);
  const last = Math.max(...all);
  for (
    let at = first;
    at < last && all.size < MAX_FILLED_BUCKETS;
    at = nextBucket(at, size, timeZone)
  ) {
    all.add(at);
  }
  return [...all].sort((a, b) => a - b);
}
