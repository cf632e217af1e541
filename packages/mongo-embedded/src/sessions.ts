import type { Document } from 'bson';
import { MongoCommandError } from './errors.ts';
import { toJsNumber } from './numbers.ts';
import { type LockTable, noSuchTransaction, Transaction } from './transactions.ts';

/** MongoDB's default transactionLifetimeLimitSeconds. */
const DEFAULT_TRANSACTION_LIFETIME_SECONDS = 60;
const SESSION_IDLE_MS = 30 * 60_000;
const RETRY_CACHE_PER_SESSION = 32;

class ServerSession {
  lastUsed = Date.now();
  transaction: Transaction | undefined;
  /** Replies of retryable writes by txnNumber, so a retried write is applied once. */
  readonly retryReplies = new Map<number, Document>();
  newestRetryNumber = -1;
}

export function sessionKey(lsid: unknown): string | undefined {
  const id = (lsid as { id?: { buffer?: Uint8Array } } | undefined)?.id;
  return id?.buffer ? Buffer.from(id.buffer).toString('hex') : undefined;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, ServerSession>();
  /** How long a transaction may stay open (the server parameter transactionLifetimeLimitSeconds). */
  transactionLifetimeSeconds = DEFAULT_TRANSACTION_LIFETIME_SECONDS;

  constructor(private readonly locks: LockTable) {}

  get(key: string): ServerSession {
    let session = this.sessions.get(key);
    if (!session) {
      this.evictIdle();
      session = new ServerSession();
      this.sessions.set(key, session);
    }
    session.lastUsed = Date.now();
    return session;
  }

  end(keys: string[]): void {
    for (const key of keys) {
      this.sessions.get(key)?.transaction?.abort(this.locks);
      this.sessions.delete(key);
    }
  }

  /**
   * The transaction a command belongs to: `startTransaction` opens one (aborting any older one on
   * the session); later commands must name the same txnNumber of a still-open transaction.
   */
  transactionFor(key: string, body: Document, startSeq: number): Transaction {
    const session = this.get(key);
    const txnNumber = toJsNumber(body.txnNumber);
    if (!Number.isFinite(txnNumber)) {
      throw new MongoCommandError(
        'InvalidOptions',
        'txnNumber is required when autocommit is false',
      );
    }
    if (body.startTransaction === true) {
      const current = session.transaction;
      if (current && current.txnNumber >= txnNumber && current.state !== 'aborted') {
        throw new MongoCommandError(
          'ConflictingOperationInProgress',
          `Transaction ${txnNumber} has already started.`,
        );
      }
      current?.abort(this.locks);
      const transaction = new Transaction(txnNumber, startSeq);
      session.transaction = transaction;
      transaction.abortAfter(this.transactionLifetimeSeconds * 1000, this.locks);
      return transaction;
    }
    const transaction = session.transaction;
    if (!transaction || transaction.txnNumber !== txnNumber) throw noSuchTransaction(txnNumber);
    return transaction;
  }

  /** commit/abort retried after success must succeed again; anything else is NoSuchTransaction. */
  finishingTransaction(key: string, body: Document): Transaction {
    const transaction = this.get(key).transaction;
    const txnNumber = toJsNumber(body.txnNumber);
    if (!transaction || transaction.txnNumber !== txnNumber) throw noSuchTransaction(txnNumber);
    return transaction;
  }

  private evictIdle(): void {
    const cutoff = Date.now() - SESSION_IDLE_MS;
    for (const [key, session] of this.sessions) {
      if (session.lastUsed < cutoff && session.transaction?.state !== 'open')
        this.sessions.delete(key);
    }
  }

  rememberRetryReply(key: string, txnNumber: number, reply: Document): void {
    const session = this.get(key);
    session.newestRetryNumber = Math.max(session.newestRetryNumber, txnNumber);
    session.retryReplies.set(txnNumber, reply);
    if (session.retryReplies.size > RETRY_CACHE_PER_SESSION) {
      const oldest = session.retryReplies.keys().next().value;
      if (oldest !== undefined) session.retryReplies.delete(oldest);
    }
  }

  /** The reply of a write already applied with this txnNumber; an older, forgotten one is refused. */
  earlierRetryReply(key: string, txnNumber: number): Document | undefined {
    const session = this.sessions.get(key);
    const reply = session?.retryReplies.get(txnNumber);
    if (!reply && session && txnNumber < session.newestRetryNumber) {
      throw new MongoCommandError(
        'TransactionTooOld',
        `Cannot start transaction ${txnNumber} on session because a newer transaction ${session.newestRetryNumber} has already started`,
      );
    }
    return reply;
  }
}
