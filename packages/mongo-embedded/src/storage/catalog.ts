import type { Document } from 'bson';
import { MongoCommandError } from '../errors.ts';
import { Collection, type DocumentChange } from './collection.ts';

const INVALID_COLLECTION_NAME = /^$|\$|\0|^system\./;
const INVALID_DB_NAME = /^$|[/\\. "$\0]/;

/**
 * All databases and collections. Every committed document write, single or transactional, goes
 * through `commit`, the one place where persistence will hook in.
 */
export class Catalog {
  private readonly databases = new Map<string, Map<string, Collection>>();
  private seq = 0;

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

  /** Collections and databases spring into existence on first write, as in MongoDB. */
  getOrCreate(dbName: string, name: string, options: Document = {}): Collection {
    return this.get(dbName, name) ?? this.create(dbName, name, options);
  }

  create(dbName: string, name: string, options: Document = {}): Collection {
    if (INVALID_DB_NAME.test(dbName)) {
      throw new MongoCommandError('InvalidNamespace', `Invalid database name: '${dbName}'`);
    }
    if (typeof name !== 'string' || INVALID_COLLECTION_NAME.test(name)) {
      throw new MongoCommandError(
        'InvalidNamespace',
        `Invalid collection name: ${dbName}.${String(name)}`,
      );
    }
    let db = this.databases.get(dbName);
    if (!db) {
      db = new Map();
      this.databases.set(dbName, db);
    }
    if (db.has(name)) {
      throw new MongoCommandError(
        'NamespaceExists',
        `Collection ${dbName}.${name} already exists.`,
      );
    }
    const collection = new Collection(dbName, name, options);
    db.set(name, collection);
    return collection;
  }

  /** Swaps in a fully built collection under its name, as `$out` does. */
  replace(dbName: string, collection: Collection): void {
    if (!this.get(dbName, collection.name)) this.create(dbName, collection.name);
    this.databases.get(dbName)?.set(collection.name, collection);
  }

  drop(dbName: string, name: string): boolean {
    const db = this.databases.get(dbName);
    const existed = db?.delete(name) ?? false;
    if (db && db.size === 0) this.databases.delete(dbName);
    return existed;
  }

  dropDatabase(dbName: string): void {
    this.databases.delete(dbName);
  }

  /** Applies pre-validated changes atomically (synchronously, so no reader sees half of them). */
  commit(changes: DocumentChange[]): void {
    if (changes.length === 0) return;
    this.seq += 1;
    for (const change of changes) change.collection.unindex(change);
    for (const change of changes) change.collection.store(change, this.seq);
  }
}
