import { DataAccess, LockWait } from './data-access.ts';
import { typeRank } from './sorting.ts';
import type { Catalog } from './storage/catalog.ts';
import type { Collection } from './storage/collection.ts';
import type { IndexDefinition } from './storage/index-definition.ts';
import type { LockTable } from './transactions.ts';

const DATE_RANK = typeRank(new Date(0));

/** Ids whose indexed date (the earliest, for an array) is at or before `cutoff`, in date order. */
function expiredIds(index: IndexDefinition, cutoff: number): string[] {
  const ids = new Set<string>();
  const entries = index.ordered?.ascending(
    (entry) => typeRank(entry.values[0]) < DATE_RANK,
    (entry) =>
      typeRank(entry.values[0]) > DATE_RANK || (entry.values[0] as Date).getTime() > cutoff,
  );
  for (const entry of entries ?? []) ids.add(entry.id);
  return [...ids];
}

/**
 * Removes documents whose TTL index date plus `expireAfterSeconds` has passed, every
 * `intervalMs` (MongoDB's monitor runs every 60 s; dev and tests want a tighter bound). Removals
 * are ordinary committed deletes; a document held by an open transaction waits for the next pass.
 */
export class TtlMonitor {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly catalog: Catalog,
    private readonly locks: LockTable,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.sweep(Date.now()), this.intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  sweep(now: number): number {
    const data = new DataAccess(this.catalog, this.locks, undefined);
    let removed = 0;
    for (const dbName of this.catalog.databaseNames()) {
      for (const collection of this.catalog.collections(dbName)) {
        for (const index of ttlIndexes(collection)) {
          const cutoff = now - (index.spec.expireAfterSeconds as number) * 1000;
          for (const id of expiredIds(index, cutoff)) {
            const doc = collection.docs.get(id);
            if (!doc) continue;
            try {
              data.remove(collection, doc);
              removed += 1;
            } catch (error) {
              if (!(error instanceof LockWait)) throw error;
            }
          }
        }
      }
    }
    return removed;
  }
}

function ttlIndexes(collection: Collection): IndexDefinition[] {
  return [...collection.indexes.values()].filter(
    (index) =>
      typeof index.spec.expireAfterSeconds === 'number' &&
      index.fields.length === 1 &&
      index.ordered,
  );
}
