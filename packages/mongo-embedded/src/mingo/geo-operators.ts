import type { Document } from 'bson';
import { MongoCommandError } from '../errors.ts';
import {
  matchesNear,
  matchesWithin,
  NEAR_OPERATORS,
  parseNearCondition,
  parseWithinCondition,
} from '../geo.ts';
import { isPlainObject } from '../values.ts';

type Predicate = (doc: unknown) => boolean;
type QueryOperator = (selector: string, value: unknown, options: unknown) => Predicate;

/**
 * The whole condition on the field (`{$near: [x, y], $maxDistance: d}`): mingo hands each
 * operator only its own value, but keeps the query it compiles in the options' locals.
 */
function conditionOf(
  selector: string,
  operator: string,
  value: unknown,
  options: unknown,
): Document {
  const condition = (options as { local?: { condition?: Document } } | undefined)?.local
    ?.condition?.[selector];
  return isPlainObject(condition) && operator in condition ? condition : { [operator]: value };
}

/**
 * `$near`/`$nearSphere` as a predicate: within `$minDistance`..`$maxDistance` of the point. The
 * find and count commands add the index requirement and the nearest-first order.
 */
function near(operator: string): QueryOperator {
  return (selector, value, options) => {
    const query = parseNearCondition(selector, conditionOf(selector, operator, value, options));
    return (doc) => matchesNear(query, doc as Document);
  };
}

/** `$maxDistance`, `$minDistance` and `$uniqueDocs` only exist beside a leading `$near`. */
function nearModifier(operator: string): QueryOperator {
  return (selector, value, options) => {
    const [first] = Object.keys(conditionOf(selector, operator, value, options));
    if (first && NEAR_OPERATORS.has(first)) return () => true;
    throw new MongoCommandError('BadValue', `unknown operator: ${operator}`);
  };
}

/** `$geoWithin` (and its old name `$within`): the field's geometry lies within the shape. */
function within(operator: string): QueryOperator {
  return (selector, value, options) => {
    const region = parseWithinCondition(conditionOf(selector, operator, value, options));
    return (doc) => matchesWithin(region, doc, selector);
  };
}

const notSupported: QueryOperator = () => {
  throw new MongoCommandError(
    'CommandNotSupported',
    '$geoIntersects is not supported by the embedded engine',
  );
};

/** Geo query operators, registered in the mingo context (context.ts). */
export const geoQueryOperators: Record<string, QueryOperator> = {
  $near: near('$near'),
  $nearSphere: near('$nearSphere'),
  $geoNear: near('$geoNear'),
  $maxDistance: nearModifier('$maxDistance'),
  $minDistance: nearModifier('$minDistance'),
  $uniqueDocs: nearModifier('$uniqueDocs'),
  $geoWithin: within('$geoWithin'),
  $within: within('$within'),
  $geoIntersects: notSupported,
};
