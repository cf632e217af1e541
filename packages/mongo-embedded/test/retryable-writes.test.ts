import { Long } from 'bson';
import { describe, expect, it } from 'vitest';
import { rejectionOf, useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('retryable');

/**
 * Commands carry hand-picked txnNumbers, so they go through a client of their own: its pooled
 * server sessions must not be shared with the driver's own numbering.
 *
 * The driver retries a write after a network error with the same lsid and txnNumber; the server
 * must answer with the first outcome instead of applying the write twice.
 */
describe('retryable writes', () => {
  it('an insert retried with the same txnNumber is applied once and answers like the first try', async () => {
    const client = await ctx.newClient();
    const session = client.startSession();
    try {
      const insert = {
        insert: 'retried',
        documents: [{ _id: 1, n: 1 }],
        txnNumber: Long.fromNumber(1),
      };
      const db = client.db(ctx.dbName);
      const first = await db.command(insert, { session });
      const retry = await db.command(insert, { session });
      expect(first.n).toBe(1);
      expect(retry.n).toBe(1);
      expect(retry.writeErrors).toBeUndefined();
      expect(await ctx.db.collection('retried').countDocuments()).toBe(1);
    } finally {
      await session.endSession();
    }
  });

  it('an $inc retried with the same txnNumber increments once; a new txnNumber increments again', async () => {
    const coll = ctx.db.collection<{ _id: string; n: number }>('counter');
    await coll.insertOne({ _id: 'c', n: 0 });
    const client = await ctx.newClient();
    const session = client.startSession();
    try {
      const increment = (txnNumber: number) =>
        client.db(ctx.dbName).command(
          {
            update: 'counter',
            updates: [{ q: { _id: 'c' }, u: { $inc: { n: 1 } } }],
            txnNumber: Long.fromNumber(txnNumber),
          },
          { session },
        );
      await increment(1);
      await increment(1);
      expect((await coll.findOne({ _id: 'c' }))?.n).toBe(1);
      await increment(2);
      expect((await coll.findOne({ _id: 'c' }))?.n).toBe(2);
    } finally {
      await session.endSession();
    }
  });

  it('a write with an older txnNumber than the session has seen is refused with TransactionTooOld', async () => {
    const client = await ctx.newClient();
    const session = client.startSession();
    try {
      const insert = (txnNumber: number, _id: number) =>
        client
          .db(ctx.dbName)
          .command(
            { insert: 'ordered', documents: [{ _id }], txnNumber: Long.fromNumber(txnNumber) },
            { session },
          );
      await insert(5, 1);
      const error = await rejectionOf(insert(3, 2));
      expect(error.code).toBe(225);
      expect(await ctx.db.collection('ordered').countDocuments()).toBe(1);
    } finally {
      await session.endSession();
    }
  });
});
