import { Binary, type Document, ObjectId, Timestamp } from 'bson';
import { numericKey, numericKind } from './numbers.ts';

export type Doc = Document;

export function isPlainObject(value: unknown): value is Document {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Deep copy of plain objects and arrays. BSON value classes are immutable and shared; Dates are
 * copied because they are mutable. Stored documents are never mutated after they are committed,
 * so readers and open cursors can hold them without copying.
 */
export function cloneDocument<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneDocument) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (isPlainObject(value)) {
    const copy: Document = {};
    for (const key of Object.keys(value)) copy[key] = cloneDocument(value[key]);
    return copy as T;
  }
  return value;
}

/**
 * Canonical string for a BSON value, equal exactly when MongoDB's index would treat two values as
 * the same key (numbers compare by value across int/long/double, objects by ordered fields).
 * Missing and null share a key, as in MongoDB indexes.
 */
export function valueKey(value: unknown): string {
  if (value === undefined || value === null) return 'N';
  if (numericKind(value)) return numericKey(value);
  switch (typeof value) {
    case 'string':
      return `s${JSON.stringify(value)}`;
    case 'boolean':
      return value ? 'b1' : 'b0';
  }
  if (value instanceof ObjectId) return `o${value.toHexString()}`;
  if (value instanceof Date) return `d${value.getTime()}`;
  if (value instanceof Timestamp) return `t${value.toString()}`;
  if (value instanceof Binary)
    return `x${value.sub_type}:${Buffer.from(value.buffer).toString('base64')}`;
  if (value instanceof RegExp) return `r${value.source}/${value.flags}`;
  if (Array.isArray(value)) return `[${value.map(valueKey).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .map((key) => `${JSON.stringify(key)}:${valueKey(value[key])}`)
      .join(',')}}`;
  }
  const bsontype = (value as { _bsontype?: string })._bsontype;
  return `${bsontype ?? typeof value}:${String(value)}`;
}

/**
 * Every value a dotted path reaches, expanding arrays the way MongoDB's multikey indexes do.
 * An empty result means the path is missing. With `keepArrays`, a terminal array is returned
 * as well as its elements (as `$type: 'array'` needs).
 */
export function valuesAtPath(doc: unknown, path: string, keepArrays = false): unknown[] {
  return collectPath(doc, path.split('.'), 0, keepArrays);
}

function collectPath(
  value: unknown,
  parts: string[],
  depth: number,
  keepArrays: boolean,
): unknown[] {
  if (depth === parts.length) {
    if (!Array.isArray(value)) return [value];
    if (keepArrays) return [value, ...value];
    return value.length === 0 ? [undefined] : value;
  }
  if (Array.isArray(value)) {
    const part = parts[depth] as string;
    if (/^\d+$/.test(part) && Number(part) < value.length) {
      return collectPath(value[Number(part)], parts, depth + 1, keepArrays);
    }
    return value.flatMap((element) => collectPath(element, parts, depth, keepArrays));
  }
  if (isPlainObject(value)) {
    const next = value[parts[depth] as string];
    return next === undefined ? [] : collectPath(next, parts, depth + 1, keepArrays);
  }
  return [];
}

/** MongoDB's type name for a value, as `$type` and error messages use it. */
export function bsonType(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  const numeric = numericKind(value);
  if (numeric) return numeric;
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
  }
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  if (isPlainObject(value)) return 'object';
  const names: Record<string, string> = {
    ObjectId: 'objectId',
    Long: 'long',
    Int32: 'int',
    Double: 'double',
    Decimal128: 'decimal',
    Binary: 'binData',
    Timestamp: 'timestamp',
    MinKey: 'minKey',
    MaxKey: 'maxKey',
    BSONRegExp: 'regex',
  };
  return names[(value as { _bsontype?: string })._bsontype ?? ''] ?? 'object';
}

/** The value stored at a dotted path, following array positions but not expanding arrays. */
export function storedValueAtPath(doc: Document, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(value) && /^\d+$/.test(part)) value = value[Number(part)];
    else if (isPlainObject(value)) value = value[part];
    else return undefined;
  }
  return value;
}

/** The value at a dotted path without array expansion, for building error messages. */
export function firstValueAtPath(doc: Document, path: string): unknown {
  const [first] = valuesAtPath(doc, path);
  return first ?? null;
}

export function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let target: Document = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(target[part]) && !Array.isArray(target[part])) target[part] = {};
    target = target[part];
  }
  target[parts[parts.length - 1] as string] = value;
}

export function isOperatorObject(value: unknown): value is Document {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

/**
 * The operand of a plain equality on a scalar (`5`, `'code'`, an ObjectId, `{$eq: 5}`), which
 * an exact key lookup can decide; undefined for anything else (null, arrays, documents, regexes).
 */
/**
 * The values of `{$in: [...]}` when every one is a plain scalar (what an index lookup can answer
 * exactly), else undefined.
 */
export function scalarInOperands(condition: unknown): unknown[] | undefined {
  if (!isOperatorObject(condition)) return undefined;
  const keys = Object.keys(condition);
  if (keys.length !== 1 || keys[0] !== '$in' || !Array.isArray(condition.$in)) return undefined;
  const values = condition.$in.map((value: unknown) => scalarEqualityOperand(value));
  return values.every((value: unknown) => value !== undefined) ? values : undefined;
}

export function scalarEqualityOperand(condition: unknown): unknown {
  if (isOperatorObject(condition)) {
    const keys = Object.keys(condition);
    return keys.length === 1 && keys[0] === '$eq'
      ? scalarEqualityOperand(condition.$eq)
      : undefined;
  }
  if (condition === null || Array.isArray(condition) || condition instanceof RegExp)
    return undefined;
  if (isPlainObject(condition)) return undefined;
  return condition;
}
