import { Binary, type Document, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { MongoCommandError } from './errors.ts';
import { compareNumbers, numericKind } from './numbers.ts';
import { isPlainObject, valuesAtPath } from './values.ts';

/** MongoDB's cross-type order: MinKey < null < numbers < strings < objects < arrays < … < MaxKey. */
export function typeRank(value: unknown): number {
  if (value === EMPTY_ARRAY) return 0;
  if (value instanceof MinKey) return 1;
  if (value === undefined || value === null) return 2;
  if (numericKind(value)) return 3;
  if (typeof value === 'string') return 4;
  if (Array.isArray(value)) return 6;
  if (value instanceof Binary) return 7;
  if (value instanceof ObjectId) return 8;
  if (typeof value === 'boolean') return 9;
  if (value instanceof Date) return 10;
  if (value instanceof Timestamp) return 11;
  if (value instanceof RegExp) return 12;
  if (value instanceof MaxKey) return 13;
  return 5;
}

function sign(difference: number): number {
  return difference < 0 ? -1 : difference > 0 ? 1 : 0;
}

export function compareValues(a: unknown, b: unknown): number {
  const rank = typeRank(a);
  const rankDifference = rank - typeRank(b);
  if (rankDifference !== 0) return sign(rankDifference);
  switch (rank) {
    case 3:
      return compareNumbers(a, b);
    case 4:
      return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
    case 5:
      return compareObjects(a as Document, b as Document);
    case 6:
      return compareArrays(a as unknown[], b as unknown[]);
    case 7:
      return Buffer.compare(Buffer.from((a as Binary).buffer), Buffer.from((b as Binary).buffer));
    case 8:
      // Their bytes order them as their hex strings would, without two new strings per comparison
      // (index searches over ids compare a lot).
      return Buffer.compare((a as ObjectId).id, (b as ObjectId).id);
    case 9:
      return sign(Number(a) - Number(b));
    case 10:
      return sign((a as Date).getTime() - (b as Date).getTime());
    case 11:
      return (a as Timestamp).compare(b as Timestamp);
    case 12:
      return compareValues(String(a), String(b));
    default:
      return 0;
  }
}

function compareArrays(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareValues(a[i], b[i]);
    if (order !== 0) return order;
  }
  return sign(a.length - b.length);
}

function compareObjects(a: Document, b: Document): number {
  if (!isPlainObject(a) || !isPlainObject(b)) return compareValues(String(a), String(b));
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  for (let i = 0; i < Math.min(aKeys.length, bKeys.length); i++) {
    const aKey = aKeys[i] as string;
    const bKey = bKeys[i] as string;
    const order = compareValues(a[aKey], b[bKey]) || compareValues(aKey, bKey);
    if (order !== 0) return order;
  }
  return sign(aKeys.length - bKeys.length);
}

/** Sort position of an empty array: below null and missing fields, in both directions. */
const EMPTY_ARRAY = Symbol('empty array');

/** An array sorts by its smallest element ascending and its largest descending, as in MongoDB. */
function sortKey(doc: Document, path: string, direction: 1 | -1): unknown {
  const values = valuesAtPath(doc, path, true);
  const [first] = values;
  if (values.length === 1 && Array.isArray(first) && first.length === 0) return EMPTY_ARRAY;
  const elements = values.filter((value) => !Array.isArray(value) || values.length === 1);
  if (elements.length <= 1) return elements[0];
  return elements.reduce((best, value) =>
    compareValues(value, best) * direction < 0 ? value : best,
  );
}

export function validateSortSpec(spec: Document): Array<[string, 1 | -1]> {
  return Object.entries(spec).map(([path, direction]) => {
    if (direction !== 1 && direction !== -1) {
      throw new MongoCommandError(
        'BadValue',
        '$sort key ordering must be 1 (for ascending) or -1 (for descending)',
      );
    }
    return [path, direction];
  });
}

/** Stable sort, so equal keys keep natural order. */
export function sortDocuments<T extends Document>(docs: T[], spec: Document): T[] {
  const keys = validateSortSpec(spec);
  const decorated = docs.map((doc) => ({
    doc,
    values: keys.map(([path, direction]) => sortKey(doc, path, direction)),
  }));
  decorated.sort((left, right) => {
    for (const [position, [, direction]] of keys.entries()) {
      const order = compareValues(left.values[position], right.values[position]);
      if (order !== 0) return order * direction;
    }
    return 0;
  });
  return decorated.map(({ doc }) => doc);
}
