import type { Document } from 'bson';
import { EARTH_RADIUS_METERS, parseNearCondition } from './geo.ts';
import { compareValues, typeRank, validateSortSpec } from './sorting.ts';
import type { Collection } from './storage/collection.ts';
import type { IndexDefinition } from './storage/index-definition.ts';
import type { IndexEntry } from './storage/sorted-entries.ts';
import { isOperatorObject, scalarEqualityOperand, scalarInOperands } from './values.ts';

/** One end of a range. Without a value it is the start or end of its type's bracket. */
interface Bound {
  value?: unknown;
  rank: number;
  inclusive: boolean;
}

interface Range {
  lower: Bound;
  upper: Bound;
}

/**
 * How a query reads an index: exact values for a prefix of its fields, optionally a range on the
 * next one, and whether walking it (forward or backward) already yields the requested sort.
 */
export interface IndexPlan {
  index: IndexDefinition;
  equalities: unknown[];
  range: Range | undefined;
  /** 1: index order is the sort order; -1: reverse index order is; 0: the index does not sort. */
  sortDirection: 1 | -1 | 0;
  /** For a radius query on a 2dsphere index: the documents in the grid cells the circle touches. */
  geoCandidates?: string[];
  /** `$in` on the field after the equality prefix: one lookup per value (the plan does not sort). */
  inValues?: unknown[];
}

/** A bounded circle from `$near`/`$nearSphere` with `$maxDistance`, or `$geoWithin: {$centerSphere}`. */
function circleOf(
  path: string,
  condition: unknown,
): { lng: number; lat: number; radians: number } | undefined {
  if (!isOperatorObject(condition)) return undefined;
  if ('$near' in condition || '$nearSphere' in condition) {
    const near = parseNearCondition(path, condition);
    if (!near.spherical || !Number.isFinite(near.maxDistance)) return undefined;
    const radians = near.unitsAreRadians
      ? near.maxDistance
      : near.maxDistance / EARTH_RADIUS_METERS;
    return { lng: near.x, lat: near.y, radians };
  }
  const center = isOperatorObject(condition.$geoWithin)
    ? condition.$geoWithin.$centerSphere
    : undefined;
  const [[lng, lat] = [], radians] = Array.isArray(center) ? center : [];
  if (typeof lng !== 'number' || typeof lat !== 'number' || typeof radians !== 'number')
    return undefined;
  return { lng, lat, radians };
}

/** Candidates from the 2dsphere index on a path the filter bounds by a circle, if any. */
function geoPlan(
  collection: Collection,
  conditions: Array<[string, unknown]>,
): IndexPlan | undefined {
  for (const index of collection.indexes.values()) {
    if (!index.geoCells || !index.coversAllDocuments) continue;
    for (const [path, condition] of conditions) {
      if (path !== index.geoField) continue;
      const circle = circleOf(path, condition);
      const geoCandidates =
        circle && index.geoCells.candidates(circle.lng, circle.lat, circle.radians);
      if (geoCandidates)
        return { index, equalities: [], range: undefined, sortDirection: 0, geoCandidates };
    }
  }
  return undefined;
}

const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);

/** A range condition such as `{$gte: a, $lt: b}` on scalars; MongoDB brackets ranges by type. */
function rangeOf(condition: unknown): Range | undefined {
  if (!isOperatorObject(condition)) return undefined;
  const operators = Object.keys(condition);
  if (!operators.every((operator) => RANGE_OPERATORS.has(operator))) return undefined;
  let lower: Bound | undefined;
  let upper: Bound | undefined;
  for (const operator of operators) {
    const value = scalarEqualityOperand(condition[operator]);
    if (value === undefined) return undefined;
    const bound = { value, rank: typeRank(value), inclusive: operator.endsWith('e') };
    if (operator.startsWith('$g')) lower = bound;
    else upper = bound;
  }
  const rank = (lower ?? upper)?.rank as number;
  return { lower: lower ?? { rank, inclusive: true }, upper: upper ?? { rank, inclusive: true } };
}

function belowLower(value: unknown, bound: Bound): boolean {
  const rank = typeRank(value);
  if (rank !== bound.rank) return rank < bound.rank;
  if (bound.value === undefined) return false;
  const order = compareValues(value, bound.value);
  return order < 0 || (order === 0 && !bound.inclusive);
}

function aboveUpper(value: unknown, bound: Bound): boolean {
  const rank = typeRank(value);
  if (rank !== bound.rank) return rank > bound.rank;
  if (bound.value === undefined) return false;
  const order = compareValues(value, bound.value);
  return order > 0 || (order === 0 && !bound.inclusive);
}

function topLevelConditions(filter: Document): Array<[string, unknown]> {
  return Object.entries(filter).flatMap(([path, condition]) =>
    path === '$and' && Array.isArray(condition)
      ? condition.flatMap((clause: Document) => topLevelConditions(clause))
      : path.startsWith('$')
        ? []
        : [[path, condition] as [string, unknown]],
  );
}

/** Does walking the index after its equality prefix give `sort` (or its exact reverse)? */
function sortDirectionFor(
  index: IndexDefinition,
  prefixLength: number,
  sort: Document | undefined,
): 1 | -1 | 0 {
  if (!sort || index.multikey || !index.ordered) return 0;
  const wanted = validateSortSpec(sort).filter(
    ([path]) => !index.fields.slice(0, prefixLength).includes(path),
  );
  if (wanted.length === 0) return 1;
  let direction: 1 | -1 | 0 = 0;
  for (const [offset, [path, order]] of wanted.entries()) {
    const position = prefixLength + offset;
    if (index.fields[position] !== path) return 0;
    const relative = (order * (index.directions[position] as number)) as 1 | -1;
    if (direction !== 0 && relative !== direction) return 0;
    direction = relative;
  }
  return direction;
}

/**
 * Picks the index a person would: the longest run of equalities on its leading fields, then a
 * range on the next field, then one that also provides the sort. Undefined means a full scan.
 */
export function planQuery(
  collection: Collection,
  filter: Document,
  sort: Document | undefined,
): IndexPlan | undefined {
  const conditions = topLevelConditions(filter);
  // A bounded radius is nearly always the most selective condition an explore query has.
  const geo = geoPlan(collection, conditions);
  if (geo) return geo;
  let best: { plan: IndexPlan; score: number } | undefined;
  for (const index of collection.indexes.values()) {
    if (!index.coversAllDocuments) continue;
    const equalities: unknown[] = [];
    for (const field of index.fields) {
      const equal = conditions.find(
        ([path, condition]) => path === field && scalarEqualityOperand(condition) !== undefined,
      );
      if (!equal) break;
      equalities.push(scalarEqualityOperand(equal[1]));
    }
    const rangeField = index.fields[equalities.length];
    const inCondition = conditions.find(
      ([path, condition]) => path === rangeField && scalarInOperands(condition),
    );
    const inValues = inCondition && scalarInOperands(inCondition[1]);
    if (inValues && (index.ordered || equalities.length + 1 === index.fields.length)) {
      const score = equalities.length * 4 + 3;
      if (!best || score > best.score) {
        best = { plan: { index, equalities, range: undefined, sortDirection: 0, inValues }, score };
      }
      continue;
    }
    const rangeCondition = conditions.find(
      ([path, condition]) => path === rangeField && rangeOf(condition),
    );
    // On a multikey index, one array may satisfy each end of a range with different elements.
    const range =
      index.ordered && !index.multikey && rangeCondition ? rangeOf(rangeCondition[1]) : undefined;
    const sortDirection = sortDirectionFor(index, equalities.length, sort);
    const exact = equalities.length === index.fields.length;
    if (!index.ordered && !exact) continue;
    const score =
      equalities.length * 4 +
      (range ? 2 : 0) +
      (sortDirection !== 0 ? 1 : 0) +
      (exact && index.unique ? 8 : 0);
    if (score > 0 && (!best || score > best.score)) {
      best = { plan: { index, equalities, range, sortDirection }, score };
    }
  }
  return best?.plan;
}

/** Document ids the plan selects, in the plan's order (duplicates possible for multikey). */
export function* scanPlan(plan: IndexPlan): Generator<string> {
  const { index, equalities, range, sortDirection } = plan;
  if (plan.geoCandidates) {
    yield* plan.geoCandidates;
    return;
  }
  if (plan.inValues) {
    for (const value of plan.inValues) {
      yield* scanPlan({
        index,
        equalities: [...equalities, value],
        range: undefined,
        sortDirection: 0,
      });
    }
    return;
  }
  if (equalities.length === index.fields.length) {
    yield* index.lookup(index.keyForValues(equalities)) ?? [];
    return;
  }
  const prefixOrder = (entry: IndexEntry): number => {
    for (const [position, value] of equalities.entries()) {
      const order =
        compareValues(entry.values[position], value) * (index.directions[position] as number);
      if (order !== 0) return order;
    }
    return 0;
  };
  const rangePosition = equalities.length;
  const ascendingIndex = index.directions[rangePosition] === 1;
  const isBefore = (entry: IndexEntry): boolean => {
    const order = prefixOrder(entry);
    if (order !== 0 || !range) return order < 0;
    const value = entry.values[rangePosition];
    return ascendingIndex ? belowLower(value, range.lower) : aboveUpper(value, range.upper);
  };
  const isAfter = (entry: IndexEntry): boolean => {
    const order = prefixOrder(entry);
    if (order !== 0 || !range) return order > 0;
    const value = entry.values[rangePosition];
    return ascendingIndex ? aboveUpper(value, range.upper) : belowLower(value, range.lower);
  };
  const entries =
    sortDirection === -1
      ? index.ordered?.descending(isBefore, isAfter)
      : index.ordered?.ascending(isBefore, isAfter);
  for (const entry of entries ?? []) yield entry.id;
}
