import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Document } from 'bson';
import { Context, evalExpr, ProcessingMode } from 'mingo/core';
import { type Iterator, Lazy } from 'mingo/lazy';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import type { Options } from 'mingo/types';
import { sortDocuments } from './sorting.ts';

/*
 * Operators where mingo differs from MongoDB: $sort uses MongoDB's cross-type order, $count emits
 * nothing for empty input, and $dateTrunc truncates in the requested timezone.
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
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(formatter.formatToParts(at).find((entry) => entry.type === type)?.value ?? 0);
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

function dateTrunc(obj: unknown, expr: unknown, options: Options): Date | null {
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

function sortStage(collection: Iterator, spec: Document): Iterator {
  return collection.transform((docs) => Lazy(sortDocuments(docs as Document[], spec)));
}

function countStage(collection: Iterator, field: string): Iterator {
  const size = collection.size();
  return Lazy(size === 0 ? [] : [{ [field]: size }]);
}

type OperatorTables = NonNullable<Parameters<typeof Context.init>[0]>;

/** All of mingo's operators, with ours in place of the ones that differ from MongoDB. */
export const MINGO_CONTEXT = Context.init({
  accumulator: accumulatorOperators,
  expression: { ...expressionOperators, $dateTrunc: dateTrunc },
  pipeline: { ...pipelineOperators, $sort: sortStage, $count: countStage },
  projection: projectionOperators,
  query: queryOperators,
  window: windowOperators,
} as unknown as OperatorTables);

const require = createRequire(import.meta.url);
type PreparedOptions = Options & { readonly options: Partial<Options> };
/**
 * Mingo copies every operator table whenever it receives plain options, which dominated the cost
 * of a single-document query. A prepared ComputeOptions is reused as is; mingo does not export
 * the class, so it is loaded from the same CommonJS module that mingo's entry points use.
 */
const { ComputeOptions } = require(
  join(dirname(require.resolve('mingo/package.json')), 'cjs/core/_internal.js'),
) as {
  ComputeOptions: {
    new (options: Partial<Options>): PreparedOptions;
    init(options: Partial<Options>): PreparedOptions;
  };
};

const BASE_OPTIONS: Partial<Options> = {
  idKey: '_id',
  useStrictMode: true,
  scriptEnabled: false,
  context: MINGO_CONTEXT,
};

/**
 * The updater rebuilds its options on every call, copying the context it is given, and then adds
 * the query and comparison operators it needs itself: so it gets an empty context to copy.
 */
export const UPDATER_OPTIONS: Partial<Options> = { ...BASE_OPTIONS, context: Context.init() };

export const QUERY_OPTIONS = ComputeOptions.init(BASE_OPTIONS);

const PIPELINE_OPTIONS = ComputeOptions.init({
  ...BASE_OPTIONS,
  // Stages may modify their input in place; stored documents must stay untouched.
  processingMode: ProcessingMode.CLONE_INPUT,
});

/** Pipeline options resolving `$lookup`'s `from` through the caller's view of the data. */
export function pipelineOptions(collectionResolver: (name: string) => Document[]): Options {
  return new ComputeOptions({ ...PIPELINE_OPTIONS.options, collectionResolver });
}
