import type { Document } from 'bson';
import type { CommandHandler } from './commands/context.ts';
import { ddlCommands } from './commands/ddl.ts';
import { handshakeCommands } from './commands/handshake.ts';
import { readCommands } from './commands/read.ts';
import { transactionCommands } from './commands/transaction.ts';
import { RETRYABLE_WRITES, writeCommands } from './commands/write.ts';
import { CursorRegistry } from './cursors.ts';
import { DataAccess } from './data-access.ts';
import { asCommandError, MongoCommandError } from './errors.ts';
import { toJsNumber } from './numbers.ts';
import { SessionRegistry, sessionKey } from './sessions.ts';
import { Catalog } from './storage/catalog.ts';
import { LockTable, noSuchTransaction, type Transaction } from './transactions.ts';
import { TtlMonitor } from './ttl.ts';

const COMMANDS: Record<string, CommandHandler> = {
  ...handshakeCommands,
  ...readCommands,
  ...writeCommands,
  ...ddlCommands,
  ...transactionCommands,
};

/** How often expired TTL documents are removed (MongoDB: every 60 s). */
const TTL_INTERVAL_MS = 1000;

const TRANSACTION_CONTROL = new Set(Object.keys(transactionCommands));

/** The database server minus the network: command dispatch over the catalog, sessions and cursors. */
export class Engine {
  readonly catalog = new Catalog();
  readonly locks = new LockTable();
  readonly sessions = new SessionRegistry(this.locks);
  readonly cursors = new CursorRegistry();
  readonly ttl = new TtlMonitor(this.catalog, this.locks, TTL_INTERVAL_MS);
  connectionCount = 0;

  constructor(
    /** host:port as clients reach it; a replica set member must list itself this way. */
    readonly address: string,
  ) {}

  endSessions(lsids: unknown[]): void {
    this.sessions.end(lsids.map(sessionKey).filter((key): key is string => key !== undefined));
  }

  async execute(body: Document, connectionId: number): Promise<Document> {
    const name = Object.keys(body)[0] ?? '';
    const handler = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!handler) {
      return new MongoCommandError('CommandNotFound', `no such command: '${name}'`).toReply();
    }
    const db = body.$db;
    if (typeof db !== 'string' || db.length === 0) {
      return new MongoCommandError('InvalidNamespace', 'command is missing $db').toReply();
    }
    const key = sessionKey(body.lsid);
    let transaction: Transaction | undefined;
    try {
      if (key && body.autocommit === false && !TRANSACTION_CONTROL.has(name)) {
        transaction = this.sessions.transactionFor(key, body, this.catalog.currentSeq);
        if (transaction.state === 'committed') {
          throw new MongoCommandError(
            'TransactionCommitted',
            `Transaction ${transaction.txnNumber} has been committed.`,
          );
        }
        if (transaction.state === 'aborted') throw noSuchTransaction(transaction.txnNumber);
      }
      const retryNumber =
        !transaction && key && RETRYABLE_WRITES.has(name) ? toJsNumber(body.txnNumber) : Number.NaN;
      const earlierReply =
        Number.isFinite(retryNumber) && key
          ? this.sessions.earlierRetryReply(key, retryNumber)
          : undefined;
      if (earlierReply) return earlierReply;

      const data = new DataAccess(this.catalog, this.locks, transaction);
      const reply = await handler({ engine: this, db, body, data, connectionId, sessionKey: key });
      // MongoDB aborts a transaction at its first failed write.
      if (transaction && reply.writeErrors) transaction.abort(this.locks);
      if (Number.isFinite(retryNumber) && key)
        this.sessions.rememberRetryReply(key, retryNumber, reply);
      return reply;
    } catch (error) {
      transaction?.abort(this.locks);
      return asCommandError(error).toReply();
    }
  }
}
