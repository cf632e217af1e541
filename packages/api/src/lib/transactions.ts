import type { ClientSession } from 'mongoose';
import mongoose from 'mongoose';

let supported: Promise<boolean> | undefined;

/**
 * Whether the deployment runs multi-document transactions: replica set members and mongos do,
 * a standalone mongod does not. Asked once per connection.
 */
export function supportsTransactions(): Promise<boolean> {
  supported ??= (async () => {
    const db = mongoose.connection.db;
    if (!db) return false;
    const hello = await db.admin().command({ hello: 1 });
    return typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
  })().catch(() => {
    supported = undefined;
    return false;
  });
  return supported;
}

/**
 * Runs `work` in one transaction, retried by the driver on transient conflicts (another writer
 * held a document `work` touches), so `work` must read what it decides on inside the transaction.
 */
export async function inTransaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
  const session = await mongoose.startSession();
  try {
    return await session.withTransaction(() => work(session));
  } finally {
    await session.endSession();
  }
}

/**
 * Runs `work` in one transaction where the deployment supports them; on a standalone mongod its
 * writes run one after the other (no session), so `work` must order them to fail safely.
 */
export async function atomically<T>(work: (session?: ClientSession) => Promise<T>): Promise<T> {
  return (await supportsTransactions()) ? inTransaction(work) : work();
}
