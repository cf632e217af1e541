import { typedOriginal } from '../numbers.ts';
import { bsonType, valuesAtPath } from '../values.ts';

const NUMERIC_TYPES = new Set(['double', 'int', 'long', 'decimal']);
const TYPE_CODES: Record<number, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  5: 'binData',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  10: 'null',
  11: 'regex',
  16: 'int',
  17: 'timestamp',
  18: 'long',
  19: 'decimal',
  [-1]: 'minKey',
  127: 'maxKey',
};

function matchesType(value: unknown, wanted: unknown): boolean {
  const name = typeof wanted === 'number' ? TYPE_CODES[wanted] : wanted;
  const actual = bsonType(value);
  return name === 'number' ? NUMERIC_TYPES.has(actual) : actual === name;
}

/** `$type` with MongoDB's names and codes (mingo lacks objectId, binData, timestamp…). */
export function typeQuery(path: string, wanted: unknown): (doc: unknown) => boolean {
  const wantedTypes = Array.isArray(wanted) ? wanted : [wanted];
  return (doc) =>
    valuesAtPath(typedOriginal(doc), path, true).some(
      (value) => value !== undefined && wantedTypes.some((type) => matchesType(value, type)),
    );
}
