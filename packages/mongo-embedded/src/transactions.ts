import { MongoCommandError } from './errors.ts';
import type { Catalog } from './storage/catalog.ts';
import type { Collection, DocumentChange } from './storage/collection.ts';
import type { Doc } from './values.ts';

const TRANSIENT = ['TransientTransactionError'];

export function noSuchTransaction(txnNumber: number): MongoCommandError {
  return new MongoCommandError(
    'NoSuchTransaction',
    `Transaction with txnNumber ${txnNumber} has been aborted or was never started.`,
    { labels: TRANSIENT },
  );
}

export function writeConflict(): MongoCommandError {
  return new MongoCommandError(
    'WriteConflict',
    'Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.',
    { labels: TRANSIENT },
  );
}

/**
 * A multi-document transaction. Its writes live in a private overlay until commit; the documents
 * and unique keys it wrote are locked so that other transactions get a WriteConflict and plain
 * writes wait until it ends.
 */
export class Transaction {
  state: 'open' | 'committed' | 'aborted' = 'open';
  readonly overlay = new Map<Collection, Map<string, Doc | undefined>>();
  readonly finished: Promise<void>;
  private resolveFinished!: () => void;
  private lifetime: NodeJS.Timeout | undefined;

  constructor(
    readonly txnNumber: number,
    /** Commit sequence when the transaction began: later commits to its documents conflict. */
    readonly startSeq: number,
  ) {
    this.finished = new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
  }

  pendingWrites(collection: Collection): Map<string, Doc | undefined> | undefined {
    return this.overlay.get(collection);
  }

  write(collection: Collection, id: string, doc: Doc | undefined): void {
    let writes = this.overlay.get(collection);
    if (!writes) {
      writes = new Map();
      this.overlay.set(collection, writes);
    }
    writes.set(id, doc);
  }

  commit(catalog: Catalog, locks: LockTable): void {
    const changes: DocumentChange[] = [];
    for (const [collection, writes] of this.overlay) {
      for (const [id, after] of writes) {
        changes.push({ collection, id, before: collection.docs.get(id), after });
      }
    }
    catalog.commit(changes);
    this.end('committed', locks);
  }

  abort(locks: LockTable): void {
    if (this.state === 'open') this.end('aborted', locks);
  }

  /** Aborts the transaction if it is still open after `ms`: an abandoned one must not hold locks forever. */
  abortAfter(ms: number, locks: LockTable): void {
    this.lifetime = setTimeout(() => this.abort(locks), ms).unref();
  }

  private end(state: 'committed' | 'aborted', locks: LockTable): void {
    // A finished transaction's timer would otherwise keep it in memory for the whole lifetime.
    clearTimeout(this.lifetime);
    this.state = state;
    this.overlay.clear();
    locks.releaseAll(this);
    this.resolveFinished();
  }
}

/** Which open transaction holds a document or a unique key. */
export class LockTable {
  private readonly owners = new Map<string, Transaction>();
  private readonly held = new Map<Transaction, string[]>();

  ownerOf(resource: string): Transaction | undefined {
    return this.owners.get(resource);
  }

  acquire(resource: string, txn: Transaction): void {
    if (this.owners.get(resource) === txn) return;
    this.owners.set(resource, txn);
    const list = this.held.get(txn);
    if (list) list.push(resource);
    else this.held.set(txn, [resource]);
  }

  releaseAll(txn: Transaction): void {
    for (const resource of this.held.get(txn) ?? []) {
      if (this.owners.get(resource) === txn) this.owners.delete(resource);
    }
    this.held.delete(txn);
  }
}
