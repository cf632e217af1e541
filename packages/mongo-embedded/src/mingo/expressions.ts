import { type Document, ObjectId } from 'bson';
import { evalExpr } from 'mingo/core';
import * as arithmetic from 'mingo/operators/expression/arithmetic';
import * as typeOperators from 'mingo/operators/expression/type';
import type { Options } from 'mingo/types';

type Expression = (obj: unknown, expr: unknown, options: Options) => unknown;

/** MongoDB accepts `{$trunc: x}` for `{$trunc: [x]}`; mingo insists on the array. */
function acceptingSingleOperand(operator: Expression): Expression {
  return (obj, expr, options) => operator(obj, Array.isArray(expr) ? expr : [expr], options);
}

/** Mingo's conversions do not know ObjectId. */
function toObjectId(obj: unknown, expr: unknown, options: Options): ObjectId | null {
  const value = evalExpr(obj, expr, options);
  if (value === null || value === undefined) return null;
  if (value instanceof ObjectId) return value;
  if (typeof value === 'string' && /^[0-9a-fA-F]{24}$/.test(value)) return new ObjectId(value);
  throw new Error(`Failed to parse objectId '${String(value)}' in $convert with no onError value`);
}

function toStringWithObjectId(obj: unknown, expr: unknown, options: Options): unknown {
  const value = evalExpr(obj, expr, options);
  if (value instanceof ObjectId) return value.toHexString();
  return typeOperators.$toString(obj as Document, expr as never, options);
}

export const expressionOverrides = {
  $trunc: acceptingSingleOperand(arithmetic.$trunc as Expression),
  $round: acceptingSingleOperand(arithmetic.$round as Expression),
  $toObjectId: toObjectId,
  $toString: toStringWithObjectId,
};
