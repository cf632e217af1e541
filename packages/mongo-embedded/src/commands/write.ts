import { type Document, ObjectId } from 'bson';
import { retryAfterLockWaits } from '../data-access.ts';
import { asCommandError, MongoCommandError } from '../errors.ts';
import {
  applyUpdate,
  buildUpsertDocument,
  isReplacement,
  shapeResults,
  validateUpdate,
} from '../query.ts';
import type { Collection } from '../storage/collection.ts';
import { type Doc, isPlainObject } from '../values.ts';
import {
  type CommandContext,
  type CommandHandler,
  optionalDocument,
  targetCollection,
} from './context.ts';

function statements(body: Document, field: string): Document[] {
  const value: unknown = body[field];
  if (!Array.isArray(value))
    throw new MongoCommandError('TypeMismatch', `Field '${field}' must be an array`);
  if (value.length > 100_000) {
    throw new MongoCommandError(
      'InvalidLength',
      `Write batch sizes must be between 1 and 100000. Got ${value.length} operations.`,
    );
  }
  return value as Document[];
}

/**
 * Runs each statement of a write batch; a failed statement becomes a writeError and, for ordered
 * batches, stops the rest. Transaction-level errors (write conflicts) fail the whole command so
 * the driver can retry the transaction.
 */
async function runBatch(
  context: CommandContext,
  items: Document[],
  runOne: (item: Document, index: number) => void,
): Promise<Document[]> {
  const ordered = context.body.ordered !== false;
  const writeErrors: Document[] = [];
  for (const [index, item] of items.entries()) {
    try {
      await retryAfterLockWaits(() => runOne(item, index));
    } catch (error) {
      const commandError = asCommandError(error);
      if (commandError.errorLabels.includes('TransientTransactionError')) throw commandError;
      writeErrors.push(commandError.toWriteError(index));
      if (ordered) break;
    }
  }
  return writeErrors;
}

function withWriteErrors(reply: Document, writeErrors: Document[]): Document {
  return writeErrors.length > 0 ? { ...reply, writeErrors } : reply;
}

async function insert(context: CommandContext): Promise<Document> {
  const { engine, db, data } = context;
  const collection = engine.catalog.getOrCreate(db, targetCollection(context, 'insert'));
  let inserted = 0;
  const writeErrors = await runBatch(context, statements(context.body, 'documents'), (doc) => {
    if (!isPlainObject(doc))
      throw new MongoCommandError('TypeMismatch', 'documents to insert must be objects');
    // MongoDB stores _id as the first field whatever the client sent.
    const first = Object.keys(doc)[0];
    data.insert(collection, first === '_id' ? doc : { _id: doc._id ?? new ObjectId(), ...doc });
    inserted += 1;
  });
  return withWriteErrors({ n: inserted, ok: 1 }, writeErrors);
}

/** Applies `update` to each target; every lock is checked before the first write so a wait never repeats work. */
function updateTargets(
  context: CommandContext,
  collection: Collection,
  targets: Doc[],
  computeAfter: (doc: Doc) => Doc,
): { modified: number; last: Doc | undefined } {
  const changes = targets
    .map((before) => ({ before, after: computeAfter(before) }))
    .filter(({ before, after }) => before !== after);
  for (const { before, after } of changes) context.data.assertWritable(collection, before, after);
  for (const { before, after } of changes) context.data.replace(collection, before, after);
  return { modified: changes.length, last: changes.at(-1)?.after };
}

async function update(context: CommandContext): Promise<Document> {
  const { engine, db, data } = context;
  const collection = engine.catalog.getOrCreate(db, targetCollection(context, 'update'));
  let matched = 0;
  let modified = 0;
  const upserted: Document[] = [];
  const writeErrors = await runBatch(
    context,
    statements(context.body, 'updates'),
    (statement, index) => {
      const filter = optionalDocument(statement, 'q') ?? {};
      const change: unknown = statement.u;
      validateUpdate(change);
      if (statement.multi === true && isReplacement(change)) {
        throw new MongoCommandError(
          'FailedToParse',
          'multi update is not supported for replacement-style update',
        );
      }
      const arrayFilters = Array.isArray(statement.arrayFilters)
        ? statement.arrayFilters
        : undefined;
      collection.checkHint(statement.hint);
      const single = statement.multi !== true;
      let targets = data.find(collection, filter, {
        sort: optionalDocument(statement, 'sort'),
        limit: single ? 1 : undefined,
      });
      if (single) targets = targets.slice(0, 1);
      if (targets.length === 0) {
        if (statement.upsert !== true) return;
        const doc = buildUpsertDocument(filter, change, arrayFilters);
        data.insert(collection, doc);
        upserted.push({ index, _id: doc._id });
        return;
      }
      const result = updateTargets(context, collection, targets, (doc) =>
        applyUpdate(doc, change, { filter, arrayFilters }),
      );
      matched += targets.length;
      modified += result.modified;
    },
  );
  const reply: Document = { n: matched + upserted.length, nModified: modified, ok: 1 };
  if (upserted.length > 0) reply.upserted = upserted;
  return withWriteErrors(reply, writeErrors);
}

async function remove(context: CommandContext): Promise<Document> {
  const { engine, db, data } = context;
  const collection = engine.catalog.get(db, targetCollection(context, 'delete'));
  let removed = 0;
  const writeErrors = await runBatch(context, statements(context.body, 'deletes'), (statement) => {
    if (!collection) return;
    collection.checkHint(statement.hint);
    const matches = data.find(collection, optionalDocument(statement, 'q') ?? {});
    const targets = statement.limit === 1 ? matches.slice(0, 1) : matches;
    for (const doc of targets) data.assertWritable(collection, doc, undefined);
    for (const doc of targets) data.remove(collection, doc);
    removed += targets.length;
  });
  return withWriteErrors({ n: removed, ok: 1 }, writeErrors);
}

function projectOne(
  doc: Doc | undefined,
  fields: Document | undefined,
  filter: Document,
): Doc | null {
  if (!doc) return null;
  return fields ? (shapeResults([doc], { projection: fields, filter })[0] ?? null) : doc;
}

async function findAndModify(context: CommandContext): Promise<Document> {
  const { engine, db, data, body } = context;
  const name = targetCollection(context, 'findAndModify');
  const filter = optionalDocument(body, 'query') ?? {};
  const sort = optionalDocument(body, 'sort');
  const fields = optionalDocument(body, 'fields');
  const change: unknown = body.update;
  if (body.remove === true && change !== undefined) {
    throw new MongoCommandError('FailedToParse', 'Cannot specify both an update and remove=true');
  }
  if (body.remove !== true) validateUpdate(change);
  const arrayFilters = Array.isArray(body.arrayFilters) ? body.arrayFilters : undefined;

  return retryAfterLockWaits(() => {
    const collection =
      body.upsert === true ? engine.catalog.getOrCreate(db, name) : engine.catalog.get(db, name);
    const [target] = data.find(collection, filter, { sort, limit: 1 });
    if (!collection || (!target && body.upsert !== true)) {
      return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
    }
    if (body.remove === true) {
      if (target) data.remove(collection, target);
      return {
        lastErrorObject: { n: target ? 1 : 0 },
        value: projectOne(target, fields, filter),
        ok: 1,
      };
    }
    const update = change as Document | Document[];
    if (target) {
      const { last } = updateTargets(context, collection, [target], (doc) =>
        applyUpdate(doc, update, { filter, arrayFilters }),
      );
      const after = last ?? target;
      return {
        lastErrorObject: { n: 1, updatedExisting: true },
        value: projectOne(body.new === true ? after : target, fields, filter),
        ok: 1,
      };
    }
    const doc = buildUpsertDocument(filter, update, arrayFilters);
    data.insert(collection, doc);
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
      value: projectOne(body.new === true ? doc : undefined, fields, filter),
      ok: 1,
    };
  });
}

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: remove,
  findAndModify,
};

/** Commands the driver retries with the same txnNumber after a network error. */
export const RETRYABLE_WRITES = new Set(['insert', 'update', 'delete', 'findAndModify']);
