import type { Document } from 'bson';
import { MongoCommandError } from '../errors.ts';
import { compileFilter } from '../query.ts';
import type { Collection } from '../storage/collection.ts';
import { ID_INDEX_SPEC } from '../storage/collection.ts';
import { defaultIndexName, type IndexSpec } from '../storage/index-definition.ts';
import { isPlainObject } from '../values.ts';
import {
  type CommandContext,
  type CommandHandler,
  optionalDocument,
  targetCollection,
} from './context.ts';

/** Fields every command may carry that are not options of the command itself. */
const GENERIC_COMMAND_FIELDS = new Set([
  '$db',
  'lsid',
  'txnNumber',
  'autocommit',
  'startTransaction',
  '$clusterTime',
  '$readPreference',
  'writeConcern',
  'readConcern',
  'comment',
  'maxTimeMS',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
]);

function rejectInTransaction(context: CommandContext, command: string): void {
  if (context.data.txn) {
    throw new MongoCommandError(
      'OperationNotSupportedInTransaction',
      `Cannot run '${command}' in a multi-document transaction.`,
    );
  }
}

function existingCollection(context: CommandContext, name: string): Collection {
  const collection = context.engine.catalog.get(context.db, name);
  if (!collection)
    throw new MongoCommandError('NamespaceNotFound', `ns does not exist: ${context.db}.${name}`);
  return collection;
}

const INDEX_TYPES = new Set(['2dsphere', '2d', 'text', 'hashed']);

function toIndexSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw) || !isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    throw new MongoCommandError('BadValue', 'Index spec must have a non-empty key object');
  }
  for (const [field, direction] of Object.entries(raw.key)) {
    if (typeof direction === 'string' && !INDEX_TYPES.has(direction)) {
      throw new MongoCommandError('CannotCreateIndex', `Unknown index plugin '${direction}'`);
    }
    const valid = direction === 1 || direction === -1 || typeof direction === 'string';
    if (!valid || field.length === 0) {
      throw new MongoCommandError(
        'BadValue',
        `Values in the index key pattern can only be 1, -1 or an index type name, got ${field}: ${String(direction)}`,
      );
    }
  }
  const name = raw.name ?? defaultIndexName(raw.key);
  if (typeof name !== 'string' || name.length === 0)
    throw new MongoCommandError('BadValue', 'Index name must be a string');
  const { v: _version, background: _background, ...options } = raw;
  return { ...options, v: 2, key: raw.key, name };
}

function createIndexes(context: CommandContext): Document {
  rejectInTransaction(context, 'createIndexes');
  const { engine, db, body } = context;
  const name = targetCollection(context, 'createIndexes');
  if (!Array.isArray(body.indexes) || body.indexes.length === 0) {
    throw new MongoCommandError('BadValue', 'Must specify at least one index to create');
  }
  const specs = (body.indexes as unknown[]).map(toIndexSpec);
  const createdCollectionAutomatically = !engine.catalog.get(db, name);
  const collection = engine.catalog.getOrCreate(db, name);
  const numIndexesBefore = collection.indexes.size + 1;
  for (const spec of specs) {
    if (spec.name === ID_INDEX_SPEC.name) continue;
    const sameName = collection.indexes.get(spec.name);
    if (sameName) {
      if (sameName.sameDefinitionAs(spec)) continue;
      throw new MongoCommandError(
        'IndexKeySpecsConflict',
        `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec)}`,
      );
    }
    const sameKey = [...collection.indexes.values()].find(
      (index) => JSON.stringify(index.spec.key) === JSON.stringify(spec.key),
    );
    if (sameKey) {
      throw new MongoCommandError(
        'IndexOptionsConflict',
        `Index already exists with a different name: ${sameKey.name}`,
      );
    }
    engine.catalog.addIndex(collection, spec);
  }
  const reply: Document = {
    numIndexesBefore,
    numIndexesAfter: collection.indexes.size + 1,
    createdCollectionAutomatically,
    ok: 1,
  };
  if (reply.numIndexesAfter === numIndexesBefore) reply.note = 'all indexes already exist';
  return reply;
}

function dropIndexes(context: CommandContext): Document {
  rejectInTransaction(context, 'dropIndexes');
  const collection = existingCollection(context, targetCollection(context, 'dropIndexes'));
  const nIndexesWas = collection.indexes.size + 1;
  const requested: unknown = context.body.index;
  const names: string[] = [];
  if (requested === '*') {
    names.push(...collection.indexes.keys());
  } else if (typeof requested === 'string') {
    names.push(requested);
  } else if (Array.isArray(requested)) {
    names.push(...requested.map(String));
  } else if (isPlainObject(requested)) {
    const match = [...collection.indexes.values()].find(
      (index) => JSON.stringify(index.spec.key) === JSON.stringify(requested),
    );
    if (!match)
      throw new MongoCommandError(
        'IndexNotFound',
        `can't find index with key: ${JSON.stringify(requested)}`,
      );
    names.push(match.name);
  }
  for (const name of names) {
    if (name === ID_INDEX_SPEC.name)
      throw new MongoCommandError('InvalidOptions', 'cannot drop _id index');
    if (!collection.indexes.has(name))
      throw new MongoCommandError('IndexNotFound', `index not found with name [${name}]`);
  }
  for (const name of names) context.engine.catalog.dropIndex(collection, name);
  return { nIndexesWas, ok: 1 };
}

function collectionInfo(collection: Collection): Document {
  return {
    name: collection.name,
    type: 'collection',
    options: collection.options,
    info: { readOnly: false, uuid: collection.uuid },
    idIndex: ID_INDEX_SPEC,
  };
}

export const ddlCommands: Record<string, CommandHandler> = {
  create: (context) => {
    rejectInTransaction(context, 'create');
    const options = Object.fromEntries(
      Object.entries(context.body).filter(
        ([field]) => field !== 'create' && !GENERIC_COMMAND_FIELDS.has(field),
      ),
    );
    context.engine.catalog.create(context.db, targetCollection(context, 'create'), options);
    return { ok: 1 };
  },
  drop: (context) => {
    rejectInTransaction(context, 'drop');
    const collection = existingCollection(context, targetCollection(context, 'drop'));
    context.engine.catalog.drop(context.db, collection.name);
    return { nIndexesWas: collection.indexes.size + 1, ns: collection.ns, ok: 1 };
  },
  dropDatabase: (context) => {
    rejectInTransaction(context, 'dropDatabase');
    context.engine.catalog.dropDatabase(context.db);
    return { dropped: context.db, ok: 1 };
  },
  listCollections: (context) => {
    const matches = compileFilter(optionalDocument(context.body, 'filter'));
    const infos = context.engine.catalog
      .collections(context.db)
      .map(collectionInfo)
      .filter(matches)
      .map((info) =>
        context.body.nameOnly === true ? { name: info.name, type: info.type } : info,
      );
    return context.engine.cursors.firstBatch(
      `${context.db}.$cmd.listCollections`,
      infos,
      undefined,
    );
  },
  listDatabases: (context) => {
    const databases = context.engine.catalog
      .databaseNames()
      .map((name) => ({ name, sizeOnDisk: 0, empty: false }));
    return context.body.nameOnly === true
      ? { databases: databases.map(({ name }) => ({ name })), ok: 1 }
      : { databases, totalSize: 0, totalSizeMb: 0, ok: 1 };
  },
  createIndexes,
  dropIndexes,
  listIndexes: (context) => {
    const collection = existingCollection(context, targetCollection(context, 'listIndexes'));
    return context.engine.cursors.firstBatch(collection.ns, collection.listIndexSpecs(), undefined);
  },
};
