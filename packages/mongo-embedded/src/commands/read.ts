import { type Document, ObjectId } from 'bson';
import { DataAccess, retryAfterLockWaits } from '../data-access.ts';
import { MongoCommandError } from '../errors.ts';
import {
  checkGeoPipeline,
  nearQueryOf,
  requireNearIndex,
  runGeoNearStage,
  sortByDistance,
} from '../geo.ts';
import { promotedView } from '../numbers.ts';
import { runPipeline, shapeResults } from '../query.ts';
import { Collection } from '../storage/collection.ts';
import { type Doc, valueKey, valuesAtPath } from '../values.ts';
import {
  type CommandContext,
  type CommandHandler,
  optionalDocument,
  optionalNumber,
  targetCollection,
} from './context.ts';
import { mergeInto } from './merge.ts';

function find(context: CommandContext): Document {
  const { body, db, engine, data } = context;
  const name = targetCollection(context, 'find');
  const limit = optionalNumber(body, 'limit') ?? 0;
  const filter = optionalDocument(body, 'filter');
  const collection = engine.catalog.get(db, name);
  collection?.checkHint(body.hint);
  const skip = optionalNumber(body, 'skip') ?? 0;
  const sort = optionalDocument(body, 'sort');
  // $near/$nearSphere needs a geo index and returns nearest first, unless a sort overrides it.
  const near = nearQueryOf(filter);
  if (near && collection) {
    requireNearIndex(near, collection.listIndexSpecs(), collection.ns, { sort, hint: body.hint });
  }
  const sorted = data.find(collection, filter, {
    sort,
    limit: limit ? skip + Math.abs(limit) : undefined,
  });
  const byDistance = near && !(sort && Object.keys(sort).length > 0);
  const docs = shapeResults(byDistance ? sortByDistance(sorted, near) : sorted, {
    filter,
    skip,
    limit: Math.abs(limit),
    projection: optionalDocument(body, 'projection'),
  });
  return engine.cursors.firstBatch(
    `${db}.${name}`,
    docs,
    optionalNumber(body, 'batchSize'),
    body.singleBatch === true || limit < 0,
  );
}

function count(context: CommandContext): Document {
  const { body, db, engine, data } = context;
  const collection = engine.catalog.get(db, targetCollection(context, 'count'));
  collection?.checkHint(body.hint);
  const query = optionalDocument(body, 'query');
  const near = nearQueryOf(query);
  if (near && collection) requireNearIndex(near, collection.listIndexSpecs(), collection.ns);
  const docs = data.find(collection, query);
  const skip = optionalNumber(body, 'skip') ?? 0;
  const limit = Math.abs(optionalNumber(body, 'limit') ?? 0);
  const afterSkip = Math.max(0, docs.length - skip);
  return { n: limit ? Math.min(limit, afterSkip) : afterSkip, ok: 1 };
}

function distinct(context: CommandContext): Document {
  const { body, db, engine, data } = context;
  const name = targetCollection(context, 'distinct');
  if (typeof body.key !== 'string') {
    throw new MongoCommandError('TypeMismatch', "Field 'key' must be a string");
  }
  const values = new Map<string, unknown>();
  for (const doc of data.find(engine.catalog.get(db, name), optionalDocument(body, 'query'))) {
    for (const value of valuesAtPath(doc, body.key)) {
      if (value !== undefined) values.set(valueKey(value), value);
    }
  }
  return { values: [...values.values()], ok: 1 };
}

const UNSUPPORTED_STAGES = new Set(['$changeStream', '$collStats', '$indexStats', '$currentOp']);

async function aggregate(context: CommandContext): Promise<Document> {
  const { body, db, engine, data } = context;
  const pipeline: unknown = body.pipeline;
  if (!Array.isArray(pipeline)) {
    throw new MongoCommandError('TypeMismatch', "'pipeline' option must be specified as an array");
  }
  for (const stage of pipeline as Document[]) {
    const [stageName] = Object.keys(stage ?? {});
    if (stageName && UNSUPPORTED_STAGES.has(stageName)) {
      throw new MongoCommandError(
        'CommandNotSupported',
        `${stageName} is not supported by the embedded engine`,
      );
    }
  }
  checkGeoPipeline(pipeline);
  if (body.explain)
    throw new MongoCommandError(
      'CommandNotSupported',
      'explain is not supported by the embedded engine',
    );
  const cursorOptions = optionalDocument(body, 'cursor');
  if (!cursorOptions) {
    throw new MongoCommandError(
      'FailedToParse',
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }

  const name = typeof body.aggregate === 'string' ? body.aggregate : undefined;
  const collection = name ? engine.catalog.get(db, name) : undefined;
  collection?.checkHint(body.hint);
  // A leading $geoNear or $match can use the indexes; the rest of the pipeline is mingo's.
  let stages = pipeline as Document[];
  const geoNear = stages[0] && Object.keys(stages[0]).length === 1 ? stages[0].$geoNear : undefined;
  if (geoNear !== undefined) stages = stages.slice(1);
  const leadingMatch =
    geoNear === undefined && stages[0] && Object.keys(stages[0]).length === 1
      ? stages[0].$match
      : undefined;
  if (leadingMatch) stages = stages.slice(1);
  const outStage = stages.at(-1)?.$out;
  const mergeStage = stages.at(-1)?.$merge;
  if (outStage !== undefined || mergeStage !== undefined) stages = stages.slice(0, -1);

  const source: Doc[] =
    geoNear !== undefined
      ? runGeoNearStage(geoNear, {
          ns: `${db}.${name}`,
          indexes: collection?.listIndexSpecs(),
          find: (filter) => data.find(collection, filter),
        })
      : leadingMatch
        ? data.find(collection, leadingMatch)
        : collection
          ? [...data.scan(collection)]
          : [];
  // Pipelines compute with JS numbers (see promotedView): Long/Decimal128 precision is not kept.
  const results = runPipeline(source.map(promotedView), stages, (foreign) => {
    const foreignCollection = engine.catalog.get(db, foreign);
    return foreignCollection ? [...data.scan(foreignCollection)].map(promotedView) : [];
  });
  if (mergeStage !== undefined) {
    await mergeInto(context, mergeStage, results);
    return engine.cursors.firstBatch(`${db}.${name}`, [], undefined);
  }
  if (outStage !== undefined) {
    await writeOut(context, outStage, results);
    return engine.cursors.firstBatch(`${db}.${name}`, [], undefined);
  }
  return engine.cursors.firstBatch(
    `${db}.${name ?? '$cmd.aggregate'}`,
    results,
    optionalNumber(cursorOptions, 'batchSize'),
  );
}

/**
 * `$out`: the results replace the target collection, which keeps its indexes. They are written
 * to a fresh collection first, so a unique violation leaves the old contents in place.
 */
async function writeOut(context: CommandContext, target: unknown, results: Doc[]): Promise<void> {
  const { engine, db } = context;
  const name = typeof target === 'string' ? target : (target as Document)?.coll;
  if (typeof name !== 'string')
    throw new MongoCommandError('FailedToParse', '$out requires a collection name');
  if (context.data.txn) {
    throw new MongoCommandError(
      'OperationNotSupportedInTransaction',
      '$out cannot be used in a transaction',
    );
  }
  const previous = engine.catalog.get(db, name);
  const replacement = new Collection(db, name, previous?.options);
  for (const index of previous?.indexes.values() ?? []) replacement.addIndex(index.spec);
  const writer = new DataAccess(engine.catalog, engine.locks, undefined);
  for (const doc of results) {
    await retryAfterLockWaits(() =>
      writer.insert(replacement, doc._id === undefined ? { _id: new ObjectId(), ...doc } : doc),
    );
  }
  engine.catalog.replace(db, replacement);
}

export const readCommands: Record<string, CommandHandler> = {
  find,
  count,
  distinct,
  aggregate,
  getMore: (context) => {
    const { body, db, engine } = context;
    if (typeof body.collection !== 'string') {
      throw new MongoCommandError('TypeMismatch', "Field 'collection' must be a string");
    }
    return engine.cursors.nextBatch(
      body.getMore,
      `${db}.${body.collection}`,
      optionalNumber(body, 'batchSize'),
    );
  },
  killCursors: (context) => {
    const cursors: unknown = context.body.cursors;
    if (!Array.isArray(cursors))
      throw new MongoCommandError('TypeMismatch', "Field 'cursors' must be an array");
    return context.engine.cursors.kill(cursors);
  },
};
