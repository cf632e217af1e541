import { type Document, ObjectId } from 'bson';
import { DataAccess, retryAfterLockWaits } from '../data-access.ts';
import { MongoCommandError } from '../errors.ts';
import { applyUpdate } from '../query.ts';
import { type Doc, firstValueAtPath, isPlainObject } from '../values.ts';
import type { CommandContext } from './context.ts';

type WhenMatched = 'merge' | 'replace' | 'keepExisting' | 'fail' | Document[];
type WhenNotMatched = 'insert' | 'discard' | 'fail';

function parseMerge(context: CommandContext, spec: unknown) {
  const options: Document =
    typeof spec === 'string' ? { into: spec } : isPlainObject(spec) ? spec : {};
  const into =
    typeof options.into === 'string' ? { db: context.db, coll: options.into } : options.into;
  if (!isPlainObject(into) || typeof into.coll !== 'string') {
    throw new MongoCommandError(
      'FailedToParse',
      "$merge requires 'into' to be a collection name or {db, coll}",
    );
  }
  const on: string[] = options.on === undefined ? ['_id'] : [options.on].flat();
  return {
    db: typeof into.db === 'string' ? into.db : context.db,
    coll: into.coll as string,
    on,
    whenMatched: (options.whenMatched ?? 'merge') as WhenMatched,
    whenNotMatched: (options.whenNotMatched ?? 'insert') as WhenNotMatched,
  };
}

/**
 * `$merge`: each result is matched in the target on the `on` fields and merged, replaced, kept
 * or refused, or inserted when new — one ordinary write per document, as in MongoDB.
 */
export async function mergeInto(
  context: CommandContext,
  spec: unknown,
  results: Doc[],
): Promise<void> {
  if (context.data.txn) {
    throw new MongoCommandError(
      'OperationNotSupportedInTransaction',
      '$merge cannot be used in a transaction',
    );
  }
  const merge = parseMerge(context, spec);
  const target = context.engine.catalog.getOrCreate(merge.db, merge.coll);
  const writer = new DataAccess(context.engine.catalog, context.engine.locks, undefined);
  for (const result of results) {
    const doc =
      result._id === undefined && merge.on.includes('_id')
        ? { _id: new ObjectId(), ...result }
        : result;
    const match = Object.fromEntries(
      merge.on.map((field) => [field, firstValueAtPath(doc, field)]),
    );
    await retryAfterLockWaits(() => {
      const [existing] = writer.find(target, match, { limit: 1 });
      if (!existing) {
        if (merge.whenNotMatched === 'fail') {
          throw new MongoCommandError(
            'BadValue',
            '$merge could not find a matching document in the target collection',
          );
        }
        if (merge.whenNotMatched === 'insert') writer.insert(target, doc);
        return;
      }
      const { whenMatched } = merge;
      if (whenMatched === 'keepExisting') return;
      if (whenMatched === 'fail')
        throw new MongoCommandError(
          'DuplicateKey',
          '$merge found a matching document in the target collection',
        );
      const { _id: _ignored, ...fields } = doc;
      const next = Array.isArray(whenMatched)
        ? applyUpdate(existing, bindNew(whenMatched, doc) as Document[])
        : whenMatched === 'replace'
          ? { _id: existing._id, ...fields }
          : { ...existing, ...fields };
      if (next !== existing) writer.replace(target, existing, next);
    });
  }
}

/** `$$new` in a whenMatched pipeline stands for the incoming document. */
function bindNew(value: unknown, incoming: Doc): unknown {
  if (value === '$$new') return { $literal: incoming };
  if (typeof value === 'string' && value.startsWith('$$new.')) {
    return { $literal: firstValueAtPath(incoming, value.slice('$$new.'.length)) };
  }
  if (Array.isArray(value)) return value.map((item) => bindNew(item, incoming));
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, bindNew(item, incoming)]),
    );
  }
  return value;
}
