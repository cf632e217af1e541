import { Decimal128, Double, Long } from 'bson';

/**
 * Stored numbers keep their BSON type: a JS number is an int32 when it is an integer in int32
 * range and a double otherwise (exactly how the bson serializer writes it back); an integral
 * double is kept as a `Double`, an int64 as a `Long`, a decimal as a `Decimal128`.
 */
export type NumericKind = 'int' | 'long' | 'double' | 'decimal';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function isInt32(value: number): boolean {
  return (
    Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX && !Object.is(value, -0)
  );
}

export function numericKind(value: unknown): NumericKind | undefined {
  if (typeof value === 'number') return isInt32(value) ? 'int' : 'double';
  if (value instanceof Double) return 'double';
  if (value instanceof Long || typeof value === 'bigint') return 'long';
  if (value instanceof Decimal128) return 'decimal';
  return undefined;
}

/** Nearest JS number, for mingo and for comparisons that need no more precision. */
export function toJsNumber(value: unknown): number {
  if (value instanceof Double) return value.value;
  if (value instanceof Long) return value.toNumber();
  if (value instanceof Decimal128) return Number(value.toString());
  return Number(value);
}

function toBigInt(value: unknown): bigint {
  if (value instanceof Long) return value.toBigInt();
  if (typeof value === 'bigint') return value;
  return BigInt(toJsNumber(value));
}

/** A double in its stored form: a plain number unless it would be mistaken for an int32. */
export function storedDouble(value: number): number | Double {
  return isInt32(value) || Object.is(value, -0) ? new Double(value) : value;
}

/** An integer result of int32/int64 arithmetic: int32 while it fits, int64 beyond (as MongoDB). */
function storedInteger(value: bigint, kind: 'int' | 'long'): number | Long {
  const wrapped = value > INT64_MAX || value < INT64_MIN ? BigInt.asIntN(64, value) : value;
  if (kind === 'int' && wrapped >= INT32_MIN && wrapped <= INT32_MAX) return Number(wrapped);
  return Long.fromBigInt(wrapped);
}

interface DecimalParts {
  coefficient: bigint;
  exponent: number;
}

function decimalParts(value: unknown): DecimalParts | undefined {
  const text = value instanceof Decimal128 ? value.toString() : String(toJsNumber(value));
  const match = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return undefined; // NaN and ±Infinity
  const fraction = match[3] ?? '';
  const coefficient = BigInt(`${match[2]}${fraction}`) * (match[1] ? -1n : 1n);
  return { coefficient, exponent: Number(match[4] ?? 0) - fraction.length };
}

/** Both coefficients scaled to the smaller exponent, so they can be added or compared exactly. */
function aligned(
  left: DecimalParts,
  right: DecimalParts,
): { left: bigint; right: bigint; exponent: number } {
  const exponent = Math.min(left.exponent, right.exponent);
  const scale = (parts: DecimalParts) =>
    parts.coefficient * 10n ** BigInt(parts.exponent - exponent);
  return { left: scale(left), right: scale(right), exponent };
}

function sign(difference: bigint | number): number {
  return difference < 0 ? -1 : difference > 0 ? 1 : 0;
}

function decimalArithmetic(operation: 'add' | 'multiply', a: unknown, b: unknown): Decimal128 {
  const left = decimalParts(a);
  const right = decimalParts(b);
  if (!left || !right) {
    const result =
      operation === 'add' ? toJsNumber(a) + toJsNumber(b) : toJsNumber(a) * toJsNumber(b);
    return Decimal128.fromString(String(result));
  }
  if (operation === 'multiply') {
    return Decimal128.fromString(
      `${left.coefficient * right.coefficient}E${left.exponent + right.exponent}`,
    );
  }
  const sum = aligned(left, right);
  return Decimal128.fromString(`${sum.left + sum.right}E${sum.exponent}`);
}

const KIND_RANK: Record<NumericKind, number> = { int: 0, long: 1, double: 2, decimal: 3 };

/** $inc and $mul with MongoDB's type promotion: the wider type wins; int32 overflow gives int64. */
export function numericArithmetic(operation: 'add' | 'multiply', a: unknown, b: unknown): unknown {
  const kindA = numericKind(a) as NumericKind;
  const kindB = numericKind(b) as NumericKind;
  const kind = KIND_RANK[kindA] >= KIND_RANK[kindB] ? kindA : kindB;
  if (kind === 'decimal') return decimalArithmetic(operation, a, b);
  if (kind === 'double') {
    return storedDouble(
      operation === 'add' ? toJsNumber(a) + toJsNumber(b) : toJsNumber(a) * toJsNumber(b),
    );
  }
  const result = operation === 'add' ? toBigInt(a) + toBigInt(b) : toBigInt(a) * toBigInt(b);
  return storedInteger(result, kind);
}

/** Zero in the operand's type, which `$mul` stores in a missing field. */
export function zeroLike(value: unknown): unknown {
  switch (numericKind(value)) {
    case 'long':
      return Long.ZERO;
    case 'double':
      return new Double(0);
    case 'decimal':
      return Decimal128.fromString('0');
    default:
      return 0;
  }
}

/** Exact ordering across numeric types (int64 beyond 2^53 and decimals included). */
export function compareNumbers(a: unknown, b: unknown): number {
  const kinds = [numericKind(a), numericKind(b)];
  if (kinds.every((kind) => kind === 'int' || kind === 'long'))
    return sign(toBigInt(a) - toBigInt(b));
  if (kinds.includes('decimal')) {
    const left = decimalParts(a);
    const right = decimalParts(b);
    if (left && right) {
      const both = aligned(left, right);
      return sign(both.left - both.right);
    }
  }
  return sign(toJsNumber(a) - toJsNumber(b));
}

/** Canonical key of a number: equal for numerically equal values of any type. */
export function numericKey(value: unknown): string {
  const kind = numericKind(value);
  if (kind === 'long') {
    const exact = toBigInt(value);
    return Number.isSafeInteger(Number(exact)) ? `n${Number(exact)}` : `n${exact}`;
  }
  if (kind === 'decimal') {
    const parts = decimalParts(value);
    if (parts && parts.exponent >= 0) {
      const integer = parts.coefficient * 10n ** BigInt(parts.exponent);
      if (!Number.isSafeInteger(Number(integer))) return `n${integer}`;
    }
  }
  const number = toJsNumber(value);
  return `n${Object.is(number, -0) ? 0 : number}`;
}

/** Plain object (not a BSON value class); kept here to avoid a cycle with values.ts. */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Decoded with `promoteValues: false`, every number arrives wrapped; int32 and non-integral
 * doubles become plain numbers (they serialize back to the same type), the rest keep their class.
 */
export function unwrapIncomingNumbers(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = unwrapIncomingNumbers(value[i]);
    return value;
  }
  if (isRecord(value)) {
    for (const key of Object.keys(value)) value[key] = unwrapIncomingNumbers(value[key]);
    return value;
  }
  if (value instanceof Double) return storedDouble(value.value);
  if (
    value !== null &&
    typeof value === 'object' &&
    (value as { _bsontype?: string })._bsontype === 'Int32'
  ) {
    return (value as { value: number }).value;
  }
  return value;
}

const promotedViews = new WeakMap<object, unknown>();
const originals = new WeakMap<object, unknown>();

function promote(value: unknown): unknown {
  if (value instanceof Double || value instanceof Long || value instanceof Decimal128)
    return toJsNumber(value);
  if (Array.isArray(value)) return value.map(promote);
  if (isRecord(value)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) copy[key] = promote(value[key]);
    return copy;
  }
  return value;
}

function containsWrappedNumber(value: unknown): boolean {
  if (value instanceof Double || value instanceof Long || value instanceof Decimal128) return true;
  if (Array.isArray(value)) return value.some(containsWrappedNumber);
  if (isRecord(value)) return Object.values(value).some(containsWrappedNumber);
  return false;
}

/**
 * The document as mingo must see it: mingo compares only JS numbers, so wrapped numbers become
 * plain ones. Documents without any (nearly all) are their own view; views are cached per stored
 * document, which is never mutated.
 */
export function promotedView<T>(doc: T): T {
  if (!isRecord(doc)) return doc;
  const cached = promotedViews.get(doc);
  if (cached !== undefined) return cached as T;
  const view = containsWrappedNumber(doc) ? (promote(doc) as T) : doc;
  promotedViews.set(doc, view);
  if (view !== doc) originals.set(view as object, doc);
  return view;
}

/** The typed document behind a promoted view, for operators that need BSON types ($type). */
export function typedOriginal<T>(view: T): T {
  return (
    (view !== null && typeof view === 'object' ? (originals.get(view) as T) : undefined) ?? view
  );
}
