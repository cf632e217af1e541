import type { Document } from 'bson';
import { ObjectId } from 'bson';
import { Aggregator, update as applyOperators, ProcessingMode, Query } from 'mingo';
import { asCommandError, MongoCommandError } from './errors.ts';
import {
  cloneDocument,
  type Doc,
  isOperatorObject,
  isPlainObject,
  setPath,
  valueKey,
} from './values.ts';

const MINGO_OPTIONS = { idKey: '_id', useStrictMode: true, scriptEnabled: false } as const;

export type Matcher = (doc: Doc) => boolean;

/** Query semantics are mingo's; we only translate its errors into MongoDB error replies. */
export function compileFilter(filter: Document | undefined): Matcher {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  try {
    const query = new Query(filter, MINGO_OPTIONS);
    return (doc) => query.test(doc);
  } catch (error) {
    throw asCommandError(error);
  }
}

export interface FindOptions {
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
  if (!hasSort && !hasProjection) {
    const start = skip ?? 0;
    return limit ? docs.slice(start, start + limit) : start ? docs.slice(start) : docs;
  }
  try {
    let cursor = new Query({}, MINGO_OPTIONS).find<Doc>(
      docs,
      hasProjection ? projection : undefined,
    );
    if (hasSort) cursor = cursor.sort(sort);
    if (skip) cursor = cursor.skip(skip);
    if (limit) cursor = cursor.limit(limit);
    return cursor.all();
  } catch (error) {
    throw asCommandError(error);
  }
}

export function runPipeline(
  docs: Iterable<Doc> | Doc[],
  pipeline: Document[],
  resolveCollection?: (name: string) => Doc[],
): Doc[] {
  try {
    const aggregator = new Aggregator(pipeline, {
      ...MINGO_OPTIONS,
      processingMode: ProcessingMode.CLONE_INPUT,
      collectionResolver: resolveCollection,
    });
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

/** Returns a new document; the stored one is never touched, so rollback and unique checks see it intact. */
export function applyUpdate(
  doc: Doc,
  update: Document | Document[],
  options: UpdateOptions = {},
): Doc {
  let result: Doc;
  if (Array.isArray(update)) {
    result = runPipeline([doc], update)[0] ?? {};
  } else if (isReplacement(update)) {
    result = { _id: doc._id, ...cloneDocument(update) };
  } else {
    result = cloneDocument(doc);
    const { $setOnInsert, ...modifiers } = update;
    if (options.inserting && $setOnInsert) {
      modifiers.$set = { ...(modifiers.$set ?? {}), ...$setOnInsert };
    }
    if (Object.keys(modifiers).length > 0) {
      try {
        applyOperators(result, modifiers, options.arrayFilters, options.filter, {
          cloneMode: 'deep',
          queryOptions: MINGO_OPTIONS,
        });
      } catch (error) {
        throw asCommandError(error);
      }
    }
  }
  if (doc._id !== undefined && valueKey(doc._id) !== valueKey(result._id)) {
    throw new MongoCommandError(
      'ImmutableField',
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  return result;
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
