import type { Document } from 'bson';
import { MongoCommandError } from '../errors.ts';
import { Collection, type DocumentChange } from './collection.ts';
import type { IndexSpec } from './index-definition.ts';
import type { LogEntry, Persistence } from './persistence.ts';

const INVALID_COLLECTION_NAME = /^$|\$|\0|^system\./;
const INVALID_DB_NAME = /^$|[/\\. "$\0]/;

function checkNamespace(dbName: string, name: string): void {
  if (INVALID_DB_NAME.test(dbName)) {
    throw new MongoCommandError('InvalidNamespace', `Invalid database name: '${dbName}'`);
  }
  if (typeof name !== 'string' || INVALID_COLLECTION_NAME.test(name)) {
    throw new MongoCommandError(
      'InvalidNamespace',
      `Invalid collection name: ${dbName}.${String(name)}`,
    );
  }
}

/**
 * All databases and collections. Every change to them goes through this class: committed document
 * writes (single or transactional) through `commit`, DDL through the other mutating methods. With
 * a `persistence` attached, each of these calls is logged as one atomic record.
 */
export class Catalog {
  private readonly databases = new Map<string, Map<string, Collection>>();
  private seq = 0;
  /** Set while the data is kept on disk (startEmbeddedMongo with dbPath). */
  persistence: Persistence | undefined;

  get currentSeq(): number {
    return this.seq;
  }

  databaseNames(): string[] {
    return [...this.databases.keys()];
  }

  collections(dbName: string): Collection[] {
    return [...(this.databases.get(dbName)?.values() ?? [])];
  }

  get(dbName: string, name: string): Collection | undefined {
    return this.databases.get(dbName)?.get(name);
  }

  /** False for a collection that was dropped or is being built for `$out`: its writes are not logged. */
  private registered(collection: Collection): boolean {
    return this.databases.get(collection.dbName)?.get(collection.name) === collection;
  }

  /** Moves all databases of `source` (a catalog loaded from disk) into this empty one. */
  adopt(source: Catalog): void {
    for (const [name, db] of source.databases) this.databases.set(name, db);
    source.databases.clear();
    // Documents carry the sequence of their last write; transactions compare against it.
    this.seq = Math.max(this.seq, source.seq);
  }

  /** Collections and databases spring into existence on first write, as in MongoDB. */
  getOrCreate(dbName: string, name: string, options: Document = {}): Collection {
    return this.get(dbName, name) ?? this.create(dbName, name, options);
  }

  private database(dbName: string): Map<string, Collection> {
    let db = this.databases.get(dbName);
    if (!db) {
      db = new Map();
      this.databases.set(dbName, db);
    }
    return db;
  }

  create(dbName: string, name: string, options: Document = {}): Collection {
    checkNamespace(dbName, name);
    const db = this.database(dbName);
    if (db.has(name)) {
      throw new MongoCommandError(
        'NamespaceExists',
        `Collection ${dbName}.${name} already exists.`,
      );
    }
    this.persistence?.append([{ op: 'create', db: dbName, coll: name, options }]);
    const collection = new Collection(dbName, name, options);
    db.set(name, collection);
    return collection;
  }

  /** Swaps in a fully built collection under its name, as `$out` does; logged as one record. */
  replace(dbName: string, collection: Collection): void {
    const coll = collection.name;
    checkNamespace(dbName, coll);
    if (this.persistence) {
      const entries: LogEntry[] = [
        { op: 'replace', db: dbName, coll, options: collection.options },
      ];
      for (const index of collection.indexes.values()) {
        entries.push({ op: 'createIndex', db: dbName, coll, spec: index.spec });
      }
      for (const doc of collection.docs.values()) {
        entries.push({ op: 'put', db: dbName, coll, doc });
      }
      this.persistence.append(entries);
    }
    this.database(dbName).set(coll, collection);
  }

  drop(dbName: string, name: string): boolean {
    const db = this.databases.get(dbName);
    if (!db?.has(name)) return false;
    this.persistence?.append([{ op: 'drop', db: dbName, coll: name }]);
    db.delete(name);
    if (db.size === 0) this.databases.delete(dbName);
    return true;
  }

  dropDatabase(dbName: string): void {
    if (!this.databases.has(dbName)) return;
    this.persistence?.append([{ op: 'dropDatabase', db: dbName }]);
    this.databases.delete(dbName);
  }

  /** Builds an index on a collection (refusing duplicates in a unique one), as createIndexes does. */
  addIndex(collection: Collection, spec: IndexSpec): void {
    collection.addIndex(spec);
    if (this.registered(collection)) {
      this.persistence?.append([
        { op: 'createIndex', db: collection.dbName, coll: collection.name, spec },
      ]);
    }
  }

  dropIndex(collection: Collection, name: string): void {
    if (!collection.indexes.has(name)) return;
    if (this.registered(collection)) {
      this.persistence?.append([
        { op: 'dropIndex', db: collection.dbName, coll: collection.name, name },
      ]);
    }
    collection.indexes.delete(name);
  }

  /** Applies pre-validated changes atomically (synchronously, so no reader sees half of them). */
  commit(changes: DocumentChange[]): void {
    if (changes.length === 0) return;
    if (this.persistence) this.log(this.persistence, changes);
    this.seq += 1;
    const applied = changes.map((change) => ({
      change,
      indexes: change.collection.indexesChangedBy(change),
    }));
    for (const { change, indexes } of applied) change.collection.unindex(change, indexes);
    for (const { change, indexes } of applied) change.collection.store(change, this.seq, indexes);
  }

  /** One record for the whole commit; changes to unregistered collections stay out of the log. */
  private log(persistence: Persistence, changes: DocumentChange[]): void {
    const entries: LogEntry[] = [];
    for (const { collection, before, after } of changes) {
      if (!this.registered(collection)) continue;
      const db = collection.dbName;
      const coll = collection.name;
      if (after) entries.push({ op: 'put', db, coll, doc: after });
      else if (before) entries.push({ op: 'del', db, coll, id: before._id });
    }
    if (entries.length > 0) persistence.append(entries);
  }
}
