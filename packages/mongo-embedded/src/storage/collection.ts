import { type Document, UUID } from 'bson';
import { MongoCommandError } from '../errors.ts';
import { type Doc, isPlainObject, valueKey } from '../values.ts';
import { IndexDefinition, type IndexSpec } from './index-definition.ts';

export const ID_INDEX_SPEC: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };
/** The primary key, kept as the document map itself; this instance only shapes its errors. */
export const ID_INDEX = new IndexDefinition(ID_INDEX_SPEC);

/** A committed change to one document: insert (no before), delete (no after) or replace. */
export interface DocumentChange {
  collection: Collection;
  id: string;
  before: Doc | undefined;
  after: Doc | undefined;
}

export class Collection {
  readonly uuid = new UUID();
  readonly docs = new Map<string, Doc>();
  readonly indexes = new Map<string, IndexDefinition>();
  /** Commit sequence of each document's last write, for transaction write-conflict detection. */
  readonly lastWriteSeq = new Map<string, number>();

  constructor(
    readonly dbName: string,
    readonly name: string,
    readonly options: Document = {},
  ) {}

  get ns(): string {
    return `${this.dbName}.${this.name}`;
  }

  get uniqueIndexes(): IndexDefinition[] {
    return [...this.indexes.values()].filter((index) => index.unique);
  }

  listIndexSpecs(): IndexSpec[] {
    return [ID_INDEX_SPEC, ...[...this.indexes.values()].map((index) => index.spec)];
  }

  /**
   * The indexes whose entries a change alters. A replace leaves alone those whose indexed values
   * it kept: a check-in changes two of a ticket's six.
   */
  indexesChangedBy(change: DocumentChange): IndexDefinition[] {
    const { before, after } = change;
    const all = [...this.indexes.values()];
    return before && after ? all.filter((index) => !index.keepsEntries(before, after)) : all;
  }

  /** Applies an already-validated change. Removal of old keys happens before additions. */
  unindex(change: DocumentChange, indexes: IndexDefinition[]): void {
    if (!change.before) return;
    for (const index of indexes) index.remove(change.id, change.before);
  }

  store(change: DocumentChange, seq: number, indexes: IndexDefinition[]): void {
    if (change.after) {
      this.docs.set(change.id, change.after);
      for (const index of indexes) index.add(change.id, change.after);
      this.lastWriteSeq.set(change.id, seq);
    } else {
      this.docs.delete(change.id);
      this.lastWriteSeq.delete(change.id);
    }
  }

  /** Builds an index over the current documents, refusing if a unique index meets duplicates. */
  addIndex(spec: IndexSpec): void {
    const index = new IndexDefinition(spec);
    for (const [id, doc] of this.docs) {
      const keyError = index.keyError(doc);
      if (keyError) throw keyError;
      if (index.unique && index.includes(doc)) {
        for (const key of index.keysOf(doc)) {
          if (index.lookup(key)?.size) throw index.duplicateKeyError(this.ns, doc);
        }
      }
      index.add(id, doc);
    }
    this.indexes.set(spec.name, index);
  }

  /** A query's `hint` must name an existing index (by name or key pattern), or `$natural`. */
  checkHint(hint: unknown): void {
    if (hint === undefined || hint === null) return;
    const specs = this.listIndexSpecs();
    const known =
      typeof hint === 'string'
        ? specs.some((spec) => spec.name === hint)
        : isPlainObject(hint) &&
          ('$natural' in hint || specs.some((spec) => valueKey(spec.key) === valueKey(hint)));
    if (!known) {
      throw new MongoCommandError(
        'BadValue',
        'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
      );
    }
  }
}

export function validateNewDocumentId(doc: Doc): void {
  if (Array.isArray(doc._id)) {
    throw new MongoCommandError('InvalidIdField', `The '_id' value cannot be of type array`);
  }
  if (doc._id instanceof RegExp) {
    throw new MongoCommandError('InvalidIdField', `The '_id' value cannot be of type regex`);
  }
}
