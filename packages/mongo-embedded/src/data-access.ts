import { BSON, type Document } from 'bson';
import { MongoCommandError } from './errors.ts';
import { planQuery, scanPlan } from './planner.ts';
import { compileFilter } from './query.ts';
import { sortDocuments } from './sorting.ts';
import type { Catalog } from './storage/catalog.ts';
import { type Collection, ID_INDEX, validateNewDocumentId } from './storage/collection.ts';
import { type LockTable, type Transaction, writeConflict } from './transactions.ts';
import { type Doc, scalarEqualityOperand, scalarInOperands, valueKey } from './values.ts';
import { MAX_BSON_OBJECT_SIZE } from './wire.ts';

/** Thrown by a plain write that meets a document or key held by an open transaction. */
export interface FindOrder {
  sort?: Document;
  /** How many matches the caller will use at most (after sorting), so an ordered walk may stop. */
  limit?: number;
}

export class LockWait {
  constructor(readonly until: Promise<void>) {}
}

/** Runs a plan-then-apply step, re-planning after every wait so it never acts on stale reads. */
export async function retryAfterLockWaits<T>(step: () => T): Promise<T> {
  for (;;) {
    try {
      return step();
    } catch (error) {
      if (!(error instanceof LockWait)) throw error;
      await error.until;
    }
  }
}

/**
 * Reads and writes as one command sees them: committed data, plus the pending writes of the
 * command's transaction when it runs inside one.
 */
export class DataAccess {
  constructor(
    private readonly catalog: Catalog,
    private readonly locks: LockTable,
    readonly txn: Transaction | undefined,
  ) {}

  get(collection: Collection, id: string): Doc | undefined {
    const pending = this.txn?.pendingWrites(collection);
    if (pending?.has(id)) return pending.get(id);
    return collection.docs.get(id);
  }

  *scan(collection: Collection): Generator<Doc> {
    const pending = this.txn?.pendingWrites(collection);
    for (const [id, doc] of collection.docs) {
      if (!pending?.has(id)) yield doc;
    }
    if (pending) {
      for (const doc of pending.values()) if (doc) yield doc;
    }
  }

  /**
   * Matching documents, sorted when `sort` is given. An equality on `_id` reads one document; an
   * index chosen by the planner narrows the candidates and, when it provides the order, lets a
   * `limit` stop the walk early. Everything else scans.
   */
  find(
    collection: Collection | undefined,
    filter: Document | undefined,
    options: FindOrder = {},
  ): Doc[] {
    if (!collection) return [];
    const matches = compileFilter(filter);
    const pending = this.txn?.pendingWrites(collection);
    const ids = idsOf(filter?._id);
    const plan = ids === undefined ? planQuery(collection, filter ?? {}, options.sort) : undefined;
    const found: Doc[] = [];
    if (ids === undefined && !plan) {
      for (const doc of this.scan(collection)) if (matches(doc)) found.push(doc);
      return options.sort ? sortDocuments(found, options.sort) : found;
    }
    const orderedByIndex = plan !== undefined && plan.sortDirection !== 0 && !pending?.size;
    const seen = new Set<string>();
    for (const candidate of plan ? scanPlan(plan) : (ids ?? [])) {
      if (seen.has(candidate)) continue;
      seen.add(candidate);
      const doc = this.get(collection, candidate);
      if (doc && matches(doc)) found.push(doc);
      if (orderedByIndex && options.limit && found.length >= options.limit) break;
    }
    for (const [pendingId, doc] of pending ?? []) {
      if (doc && !seen.has(pendingId) && matches(doc)) found.push(doc);
    }
    return options.sort && !orderedByIndex ? sortDocuments(found, options.sort) : found;
  }

  insert(collection: Collection, doc: Doc): void {
    validateNewDocumentId(doc);
    const id = valueKey(doc._id);
    this.checkLocks(collection, id, doc);
    if (this.get(collection, id)) throw ID_INDEX.duplicateKeyError(collection.ns, doc);
    this.write(collection, id, doc);
  }

  replace(collection: Collection, before: Doc, after: Doc): void {
    const id = valueKey(before._id);
    this.checkLocks(collection, id, after);
    this.write(collection, id, after);
  }

  remove(collection: Collection, before: Doc): void {
    const id = valueKey(before._id);
    this.checkLocks(collection, id, undefined);
    this.write(collection, id, undefined);
  }

  /** Throws (LockWait or WriteConflict) if writing `after` over `before` would have to wait or conflict. */
  assertWritable(collection: Collection, before: Doc, after: Doc | undefined): void {
    this.checkLocks(collection, valueKey(before._id), after);
  }

  private write(collection: Collection, id: string, after: Doc | undefined): void {
    if (after && BSON.calculateObjectSize(after) > MAX_BSON_OBJECT_SIZE) {
      throw new MongoCommandError(
        'BSONObjectTooLarge',
        `Resulting document is larger than ${MAX_BSON_OBJECT_SIZE} bytes`,
      );
    }
    if (after) {
      for (const index of collection.indexes.values()) {
        const error = index.keyError(after);
        if (error) throw error;
      }
      this.checkUnique(collection, id, after);
    }
    if (!this.txn) {
      this.catalog.commit([{ collection, id, before: collection.docs.get(id), after }]);
      return;
    }
    this.txn.write(collection, id, after);
    for (const resource of this.resourcesOf(collection, id, after)) {
      this.locks.acquire(resource, this.txn);
    }
  }

  private resourcesOf(collection: Collection, id: string, after: Doc | undefined): string[] {
    const resources = [`${collection.ns}\u0000${id}`];
    if (!after) return resources;
    for (const index of collection.uniqueIndexes) {
      if (!index.includes(after)) continue;
      for (const key of index.keysOf(after)) {
        resources.push(`${collection.ns}\u0000${index.name}\u0000${key}`);
      }
    }
    return resources;
  }

  private checkLocks(collection: Collection, id: string, after: Doc | undefined): void {
    for (const resource of this.resourcesOf(collection, id, after)) {
      const owner = this.locks.ownerOf(resource);
      if (!owner || owner === this.txn) continue;
      if (this.txn) throw writeConflict();
      throw new LockWait(owner.finished);
    }
    const lastWrite = collection.lastWriteSeq.get(id);
    if (this.txn && lastWrite !== undefined && lastWrite > this.txn.startSeq) throw writeConflict();
  }

  private checkUnique(collection: Collection, id: string, after: Doc): void {
    const pending = this.txn?.pendingWrites(collection);
    for (const index of collection.uniqueIndexes) {
      if (!index.includes(after)) continue;
      for (const key of index.keysOf(after)) {
        const holdsKey = (otherId: string, other: Doc | undefined) =>
          otherId !== id &&
          other !== undefined &&
          index.includes(other) &&
          index.keysOf(other).includes(key);
        for (const otherId of index.lookup(key) ?? []) {
          if (holdsKey(otherId, this.get(collection, otherId))) {
            throw index.duplicateKeyError(collection.ns, after);
          }
        }
        for (const [otherId, other] of pending ?? []) {
          if (holdsKey(otherId, other)) throw index.duplicateKeyError(collection.ns, after);
        }
      }
    }
  }
}

/** The only ids a filter on `_id` can match: an equality or an `$in` of plain values. */
function idsOf(condition: unknown): string[] | undefined {
  const id = scalarEqualityOperand(condition);
  if (id !== undefined) return [valueKey(id)];
  return scalarInOperands(condition)?.map((value) => valueKey(value));
}
