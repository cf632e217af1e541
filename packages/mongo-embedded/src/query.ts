import type { Document } from 'bson';
import { ObjectId } from 'bson';
import { Aggregator } from 'mingo/aggregator';
import { Query } from 'mingo/query';
import { update as applyOperators } from 'mingo/updater';
import { isEqual } from 'mingo/util';
import { asCommandError, MongoCommandError } from './errors.ts';
import { pipelineOptions, QUERY_OPTIONS, UPDATER_OPTIONS } from './mingo/context.ts';
import { numericArithmetic, numericKind, promotedView, zeroLike } from './numbers.ts';
import { compareValues, sortDocuments } from './sorting.ts';
import {
  bsonType,
  cloneDocument,
  type Doc,
  isOperatorObject,
  isPlainObject,
  scalarEqualityOperand,
  setPath,
  storedValueAtPath,
  valueKey,
  valuesAtPath,
} from './values.ts';

export type Matcher = (doc: Doc) => boolean;

/**
 * Query semantics are mingo's, translating its errors into MongoDB error replies. Mingo compares
 * embedded documents ignoring field order; MongoDB does not, so such equalities get a second check.
 */
export function compileFilter(filter: Document | undefined): Matcher {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  const equalities = scalarEqualities(filter);
  if (equalities) {
    return (doc) =>
      equalities.every(([path, key]) =>
        valuesAtPath(doc, path).some((value) => valueKey(value) === key),
      );
  }
  checkLogicalOperators(filter);
  let query: Query;
  try {
    query = new Query(promotedView(filter), QUERY_OPTIONS);
  } catch (error) {
    throw asCommandError(error);
  }
  const orderedEqualities = Object.entries(filter)
    .filter(
      ([path, value]) => !path.startsWith('$') && isPlainObject(value) && !isOperatorObject(value),
    )
    .map(([path, value]) => [path, valueKey(value)] as const);
  if (orderedEqualities.length === 0) return (doc) => query.test(promotedView(doc));
  return (doc) =>
    query.test(promotedView(doc)) &&
    orderedEqualities.every(([path, key]) =>
      valuesAtPath(doc, path).some((value) => valueKey(value) === key),
    );
}

/**
 * Filters made only of scalar equalities (lookups by id, code or status) are most of the hot path;
 * canonical keys decide them exactly as MongoDB would, without compiling a mingo query.
 */
function scalarEqualities(filter: Document): Array<[string, string]> | undefined {
  const equalities: Array<[string, string]> = [];
  for (const [path, condition] of Object.entries(filter)) {
    const operand = path.startsWith('$') ? undefined : scalarEqualityOperand(condition);
    if (operand === undefined) return undefined;
    equalities.push([path, valueKey(operand)]);
  }
  return equalities;
}

/** MongoDB refuses empty $and/$or/$nor; mingo would treat them as always true or false. */
function checkLogicalOperators(filter: Document): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key !== '$and' && key !== '$or' && key !== '$nor') continue;
    if (!Array.isArray(value) || value.length === 0) {
      throw new MongoCommandError('BadValue', `${key} must be a nonempty array`);
    }
    for (const clause of value) {
      if (!isPlainObject(clause))
        throw new MongoCommandError('BadValue', `${key} argument's entries must be objects`);
      checkLogicalOperators(clause);
    }
  }
}

export interface FindOptions {
  /** The query, which a positional projection (`'items.$': 1`) refers to. */
  filter?: Document;
  sort?: Document;
  skip?: number;
  limit?: number;
  projection?: Document;
}

/** Sort, skip, limit and project an already-filtered list of documents. */
export function shapeResults(docs: Doc[], options: FindOptions): Doc[] {
  const { sort, skip, limit, projection } = options;
  const hasSort = sort && Object.keys(sort).length > 0;
  const hasProjection = projection && Object.keys(projection).length > 0;
  const sorted = hasSort ? sortDocuments(docs, sort) : docs;
  const start = skip ?? 0;
  const page = limit ? sorted.slice(start, start + limit) : start ? sorted.slice(start) : sorted;
  return hasProjection ? project(page, projection, options.filter ?? {}) : page;
}

/**
 * Projection is mingo's, except for two MongoDB rules it lacks: a projection made only of $slice
 * keeps every other field, and `'array.$': 1` keeps the first element the query matched.
 */
function project(docs: Doc[], projection: Document, filter: Document): Doc[] {
  const positional = Object.keys(projection).find((path) => path.endsWith('.$'));
  if (positional) return projectPositional(docs, projection, positional, filter);
  const topLevelFields = topLevelInclusion(projection);
  if (topLevelFields) return docs.map((doc) => pickFields(doc, topLevelFields));
  let projected: Doc[];
  try {
    projected = new Query({}, QUERY_OPTIONS).find<Doc>(docs, projection).all();
  } catch (error) {
    throw asCommandError(error);
  }
  const paths = Object.keys(projection);
  const onlySlices = paths.every(
    (path) => isPlainObject(projection[path]) && '$slice' in projection[path],
  );
  if (!onlySlices) return projected;
  return docs.map((doc, position) => {
    const whole = cloneDocument(doc);
    for (const path of paths) {
      const sliced = storedValueAtPath(projected[position] ?? {}, path);
      if (sliced !== undefined) setPath(whole, path, sliced);
    }
    return whole;
  });
}

/**
 * The fields a projection keeps when it only includes top-level fields (`_id` unless excluded),
 * the commonest kind; undefined for any other projection (`{_id: 0}` alone excludes).
 */
function topLevelInclusion(projection: Document): Set<string> | undefined {
  const fields = new Set<string>(['_id']);
  let inclusions = 0;
  for (const [path, value] of Object.entries(projection)) {
    if (path === '_id' && (value === 0 || value === false)) {
      fields.delete('_id');
    } else if ((value === 1 || value === true) && isTopLevelField(path)) {
      fields.add(path);
      inclusions += 1;
    } else {
      return undefined;
    }
  }
  return inclusions > 0 ? fields : undefined;
}

/** The kept fields in the document's own order, as MongoDB returns them. */
function pickFields(doc: Doc, fields: Set<string>): Doc {
  const picked: Doc = {};
  for (const [field, value] of Object.entries(doc)) if (fields.has(field)) picked[field] = value;
  return picked;
}

function projectPositional(
  docs: Doc[],
  projection: Document,
  key: string,
  filter: Document,
): Doc[] {
  const arrayPath = key.slice(0, -'.$'.length);
  const arrayConditions = Object.entries(filter).filter(
    ([path]) => path === arrayPath || path.startsWith(`${arrayPath}.`),
  );
  if (arrayConditions.length === 0) {
    throw new MongoCommandError(
      'BadValue',
      `Executor error during find command :: caused by :: positional operator '${key}' couldn't find a matching element in the array`,
    );
  }
  const matchesElement = compileFilter(Object.fromEntries(arrayConditions));
  const { [key]: _positional, ...others } = projection;
  const projected = project(docs, { ...others, [arrayPath]: 1 }, filter);
  return docs.map((doc, position) => {
    const result = projected[position] as Doc;
    const array = storedValueAtPath(doc, arrayPath);
    if (!Array.isArray(array)) return result;
    const first = array.find((element) => {
      const probe = cloneDocument(doc);
      setPath(probe, arrayPath, [element]);
      return matchesElement(probe);
    });
    if (first !== undefined) setPath(result, arrayPath, [first]);
    return result;
  });
}

export function runPipeline(
  docs: Iterable<Doc> | Doc[],
  pipeline: Document[],
  resolveCollection: (name: string) => Doc[] = () => [],
): Doc[] {
  try {
    const aggregator = new Aggregator(pipeline, pipelineOptions(resolveCollection));
    return aggregator.run(Array.isArray(docs) ? docs : [...docs]) as Doc[];
  } catch (error) {
    throw asCommandError(error);
  }
}

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$pop',
  '$bit',
  '$currentDate',
  '$setOnInsert',
]);

export interface UpdateOptions {
  filter?: Document;
  arrayFilters?: Document[];
  /** True when the update builds a new document for an upsert ($setOnInsert applies). */
  inserting?: boolean;
}

export function isReplacement(update: Document | Document[]): boolean {
  return !Array.isArray(update) && !Object.keys(update).some((key) => key.startsWith('$'));
}

export function validateUpdate(update: unknown): asserts update is Document | Document[] {
  if (Array.isArray(update)) return;
  if (!isPlainObject(update))
    throw new MongoCommandError('FailedToParse', 'update must be an object');
  const keys = Object.keys(update);
  const operators = keys.filter((key) => key.startsWith('$'));
  if (operators.length > 0 && operators.length !== keys.length) {
    throw new MongoCommandError('FailedToParse', 'Update document mixes operators and fields');
  }
  for (const operator of operators) {
    if (!UPDATE_OPERATORS.has(operator)) {
      throw new MongoCommandError(
        'FailedToParse',
        `Unknown modifier: ${operator}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainObject(update[operator])) {
      throw new MongoCommandError(
        'FailedToParse',
        `Modifiers operate on fields but we found type ${typeof update[operator]} instead. For example: {$mod: {<field>: ...}} not {${operator}: ${JSON.stringify(update[operator])}}`,
      );
    }
  }
}

/**
 * Returns a new document, or `doc` itself when the update changes nothing. The stored document is
 * never touched, so rollback and unique checks still see it intact.
 */
export function applyUpdate(
  doc: Doc,
  update: Document | Document[],
  options: UpdateOptions = {},
): Doc {
  if (Array.isArray(update) || isReplacement(update)) {
    const result = Array.isArray(update)
      ? (runPipeline([doc], update)[0] ?? {})
      : { _id: doc._id, ...cloneDocument(update) };
    if (doc._id !== undefined && valueKey(doc._id) !== valueKey(result._id)) {
      throw new MongoCommandError(
        'ImmutableField',
        "Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    }
    return valueKey(result) === valueKey(doc) ? doc : result;
  }
  const { $setOnInsert, ...modifiers } = update;
  if (options.inserting && $setOnInsert) {
    modifiers.$set = { ...(modifiers.$set ?? {}), ...$setOnInsert };
  }
  checkModifiers(doc, modifiers);
  const numeric = takeTypedNumericOperators(modifiers);
  if (Object.keys(modifiers).length === 0 && numeric.length === 0) return doc;
  const result = cloneDocument(doc);
  let changed = applyTopLevelSetAndUnset(result, modifiers);
  if (changed === undefined) {
    // The filter already matched; mingo needs it only to resolve the positional `$`, and would
    // otherwise re-test it (with JS numbers) and skip the update.
    const positional = Object.values(modifiers).some((fields) =>
      Object.keys(fields as Document).some((path) => path.split('.').includes('$')),
    );
    try {
      const changedPaths = applyOperators(
        result,
        modifiers,
        options.arrayFilters,
        positional ? options.filter : undefined,
        {
          cloneMode: 'deep',
          queryOptions: UPDATER_OPTIONS,
        },
      );
      changed = changedPaths.length > 0;
    } catch (error) {
      throw asCommandError(error);
    }
  }
  changed = applyTypedNumericOperators(result, numeric) || changed;
  return changed ? result : doc;
}

const isTopLevelField = (path: string) =>
  path.length > 0 && !path.includes('.') && !path.startsWith('$');

/**
 * `$set` and `$unset` of top-level fields, most updates (a check-in among them), applied here
 * with mingo's own equality: its updater rebuilds its options per call, which cost more than the
 * rest of such a write. Whether `doc` changed, or undefined when the update needs mingo.
 */
function applyTopLevelSetAndUnset(doc: Doc, modifiers: Document): boolean | undefined {
  const { $set = {}, $unset = {}, ...others } = modifiers as { $set?: Doc; $unset?: Doc };
  if (Object.keys(others).length > 0) return undefined;
  if (![...Object.keys($set), ...Object.keys($unset)].every(isTopLevelField)) return undefined;
  let changed = false;
  for (const [field, value] of Object.entries($set)) {
    if (isEqual(doc[field], value)) continue;
    doc[field] = cloneDocument(value);
    changed = true;
  }
  for (const field of Object.keys($unset)) {
    if (!Object.hasOwn(doc, field)) continue;
    const previous = doc[field];
    delete doc[field];
    changed ||= !isEqual(previous, undefined);
  }
  return changed;
}

const TYPED_NUMERIC_OPERATORS = ['$inc', '$mul', '$min', '$max'] as const;
type NumericChange = {
  operator: (typeof TYPED_NUMERIC_OPERATORS)[number];
  path: string;
  operand: unknown;
};

/**
 * $inc/$mul/$min/$max on plain paths are applied here, with MongoDB's numeric type rules (int32
 * overflow to int64, exact int64 and decimal arithmetic), which mingo's JS-number arithmetic
 * lacks. Paths with positional segments stay with mingo.
 */
function takeTypedNumericOperators(modifiers: Document): NumericChange[] {
  const taken: NumericChange[] = [];
  for (const operator of TYPED_NUMERIC_OPERATORS) {
    if (!modifiers[operator]) continue;
    const positional: Document = {};
    for (const [path, operand] of Object.entries(modifiers[operator] as Document)) {
      if (path.split('.').some((part) => part.startsWith('$'))) positional[path] = operand;
      else taken.push({ operator, path, operand });
    }
    // A fresh object: the client's update document is reused for every matched document.
    if (Object.keys(positional).length > 0) modifiers[operator] = positional;
    else delete modifiers[operator];
  }
  return taken;
}

function applyTypedNumericOperators(doc: Doc, changes: NumericChange[]): boolean {
  let changed = false;
  for (const { operator, path, operand } of changes) {
    if ((operator === '$inc' || operator === '$mul') && !numericKind(operand)) {
      throw new MongoCommandError(
        'TypeMismatch',
        `Cannot ${operator === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(operand)}}`,
      );
    }
    const current = storedValueAtPath(doc, path);
    let next: unknown;
    if (operator === '$inc')
      next = current === undefined ? operand : numericArithmetic('add', current, operand);
    else if (operator === '$mul')
      next =
        current === undefined ? zeroLike(operand) : numericArithmetic('multiply', current, operand);
    else {
      const direction = operator === '$min' ? -1 : 1;
      next =
        current === undefined || compareValues(operand, current) * direction > 0
          ? operand
          : current;
    }
    if (
      next === current ||
      (valueKey(next) === valueKey(current) && bsonType(next) === bsonType(current))
    )
      continue;
    setPath(doc, path, next);
    changed = true;
  }
  return changed;
}

function pathsConflict(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/**
 * The checks MongoDB makes before applying operators and mingo does not: the immutable _id,
 * two operators on overlapping paths, and operators meeting a value of the wrong type.
 */
function checkModifiers(doc: Doc, modifiers: Document): void {
  const seen: string[] = [];
  for (const [operator, fields] of Object.entries(modifiers)) {
    for (const path of Object.keys(fields)) {
      const targets = operator === '$rename' ? [path, String(fields[path])] : [path];
      for (const target of targets) {
        const clash = seen.find((other) => pathsConflict(other, target));
        if (clash !== undefined) {
          throw new MongoCommandError(
            'ConflictingUpdateOperators',
            `Updating the path '${target}' would create a conflict at '${clash}'`,
          );
        }
        seen.push(target);
      }
      if (pathsConflict(path, '_id') && doc._id !== undefined) {
        const unchanged =
          operator === '$set' && path === '_id' && valueKey(fields[path]) === valueKey(doc._id);
        if (!unchanged) {
          throw new MongoCommandError(
            'ImmutableField',
            "Performing an update on the path '_id' would modify the immutable field '_id'",
          );
        }
      }
      if (operator !== '$unset' && operator !== '$pull' && operator !== '$pullAll') {
        checkPathViable(doc, path);
      }
      const existing = storedValueAtPath(doc, path);
      if (existing === undefined || existing === null) continue;
      if ((operator === '$inc' || operator === '$mul') && !numericKind(existing)) {
        throw new MongoCommandError(
          'TypeMismatch',
          `Cannot apply ${operator} to a value of non-numeric type. {_id: ${JSON.stringify(doc._id)}} has the field '${path}' of non-numeric type ${bsonType(existing)}`,
        );
      }
      if (
        ['$push', '$addToSet', '$pull', '$pullAll', '$pop'].includes(operator) &&
        !Array.isArray(existing)
      ) {
        throw new MongoCommandError(
          'BadValue',
          `The field '${path}' must be an array but is of type ${bsonType(existing)} in document {_id: ${JSON.stringify(doc._id)}}`,
        );
      }
    }
  }
}

/** A path cannot descend into a scalar: `{a: 1}` has no room for `a.b`. */
function checkPathViable(doc: Doc, path: string): void {
  const parts = path.split('.');
  for (let depth = 1; depth < parts.length; depth++) {
    const prefix = parts.slice(0, depth).join('.');
    const value = storedValueAtPath(doc, prefix);
    if (value === undefined || value === null) return;
    if (isPlainObject(value)) continue;
    // Inside an array, only a position (or a positional operator) names an element.
    const next = parts[depth] as string;
    if (Array.isArray(value) && (/^\d+$/.test(next) || next.startsWith('$'))) continue;
    throw new MongoCommandError(
      'PathNotViable',
      `Cannot create field '${parts[depth]}' in element {${parts[depth - 1]}: ${JSON.stringify(value)}}`,
    );
  }
}

/** The document an upsert inserts: the filter's equality fields, then the update. */
export function buildUpsertDocument(
  filter: Document,
  update: Document | Document[],
  arrayFilters?: Document[],
): Doc {
  const seed: Doc = {};
  collectEqualityFields(filter, seed);
  let doc: Doc;
  if (!Array.isArray(update) && isReplacement(update)) {
    doc = { ...(seed._id !== undefined ? { _id: seed._id } : {}), ...cloneDocument(update) };
  } else {
    doc = applyUpdate(seed, update, { inserting: true, arrayFilters });
  }
  if (doc._id === undefined) doc = { _id: new ObjectId(), ...doc };
  return doc;
}

function collectEqualityFields(filter: Document, target: Doc): void {
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(condition)) {
      for (const clause of condition) collectEqualityFields(clause, target);
    } else if (!key.startsWith('$')) {
      if (isOperatorObject(condition)) {
        if ('$eq' in condition) setPath(target, key, cloneDocument(condition.$eq));
      } else if (!(condition instanceof RegExp)) {
        setPath(target, key, cloneDocument(condition));
      }
    }
  }
}
