import { type MongoClient, MongoServerError } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, useTestMongo, usingRealMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('transactions');

const accounts = () => ctx.db.collection<any>('accounts');
const ledger = () => ctx.db.collection<any>('ledger');
const items = () => ctx.db.collection<any>('items');

let other: MongoClient;

beforeAll(async () => {
  // Collections exist before any transaction touches them.
  await ctx.db.createCollection('accounts');
  await ctx.db.createCollection('ledger');
  await ctx.db.createCollection('items');
  await items().createIndex({ key: 1 }, { unique: true });
  await items().insertOne({ key: 'taken' });
  other = await ctx.newClient();
});

const otherView = () => other.db(ctx.dbName);

describe('transactions', () => {
  it('withTransaction commits writes to several collections together', async () => {
    const session = ctx.client.startSession();
    try {
      await session.withTransaction(async () => {
        await accounts().insertOne({ _id: 'wt-a', bal: 100 }, { session });
        await accounts().insertOne({ _id: 'wt-b', bal: 0 }, { session });
        await accounts().updateOne({ _id: 'wt-a' }, { $inc: { bal: -30 } }, { session });
        await accounts().updateOne({ _id: 'wt-b' }, { $inc: { bal: 30 } }, { session });
        await ledger().insertOne({ tx: 'wt', from: 'wt-a', to: 'wt-b', amt: 30 }, { session });
      });
    } finally {
      await session.endSession();
    }
    expect(await accounts().findOne({ _id: 'wt-a' })).toEqual({ _id: 'wt-a', bal: 70 });
    expect(await accounts().findOne({ _id: 'wt-b' })).toEqual({ _id: 'wt-b', bal: 30 });
    expect(await ledger().countDocuments({ tx: 'wt' })).toBe(1);
    expect(await otherView().collection('ledger').countDocuments({ tx: 'wt' })).toBe(1);
  });

  it('uncommitted writes are visible inside the transaction only, then to everyone after commit', async () => {
    await accounts().insertMany([
      { _id: 'vis-upd', bal: 1 },
      { _id: 'vis-del', bal: 2 },
    ]);
    const session = ctx.client.startSession();
    try {
      session.startTransaction();
      await accounts().insertOne({ _id: 'vis-new', bal: 5 }, { session });
      await accounts().updateOne({ _id: 'vis-upd' }, { $set: { bal: 100 } }, { session });
      await accounts().deleteOne({ _id: 'vis-del' }, { session });
      await ledger().insertOne({ tx: 'vis' }, { session });

      // Inside: own writes are visible.
      expect(await accounts().findOne({ _id: 'vis-new' }, { session })).toEqual({
        _id: 'vis-new',
        bal: 5,
      });
      expect((await accounts().findOne({ _id: 'vis-upd' }, { session }))?.bal).toBe(100);
      expect(await accounts().findOne({ _id: 'vis-del' }, { session })).toBeNull();
      expect(await ledger().countDocuments({ tx: 'vis' }, { session })).toBe(1);
      const agg = await accounts()
        .aggregate([{ $match: { _id: { $regex: '^vis-' } } }, { $sort: { _id: 1 } }], { session })
        .toArray();
      expect(agg.map((d) => d._id)).toEqual(['vis-new', 'vis-upd']);

      // Outside, same client without the session: nothing changed yet.
      expect(await accounts().findOne({ _id: 'vis-new' })).toBeNull();
      expect((await accounts().findOne({ _id: 'vis-upd' }))?.bal).toBe(1);
      expect(await accounts().findOne({ _id: 'vis-del' })).not.toBeNull();
      expect(await ledger().countDocuments({ tx: 'vis' })).toBe(0);

      // Outside, another client: nothing changed yet.
      const o = otherView().collection<any>('accounts');
      expect(await o.findOne({ _id: 'vis-new' })).toBeNull();
      expect((await o.findOne({ _id: 'vis-upd' }))?.bal).toBe(1);
      expect(await o.findOne({ _id: 'vis-del' })).not.toBeNull();

      await session.commitTransaction();

      expect(await o.findOne({ _id: 'vis-new' })).toEqual({ _id: 'vis-new', bal: 5 });
      expect((await o.findOne({ _id: 'vis-upd' }))?.bal).toBe(100);
      expect(await o.findOne({ _id: 'vis-del' })).toBeNull();
      expect(await otherView().collection('ledger').countDocuments({ tx: 'vis' })).toBe(1);
      expect(await accounts().findOne({ _id: 'vis-new' })).not.toBeNull();
    } finally {
      await session.endSession();
    }
  });

  it('abortTransaction leaves no trace', async () => {
    await accounts().insertMany([
      { _id: 'ab-upd', bal: 1 },
      { _id: 'ab-del', bal: 2 },
    ]);
    const session = ctx.client.startSession();
    try {
      session.startTransaction();
      await accounts().insertOne({ _id: 'ab-new', bal: 5 }, { session });
      await accounts().updateOne({ _id: 'ab-upd' }, { $set: { bal: 100 } }, { session });
      await accounts().deleteOne({ _id: 'ab-del' }, { session });
      await ledger().insertMany([{ tx: 'ab' }, { tx: 'ab' }], { session });
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    expect(await accounts().findOne({ _id: 'ab-new' })).toBeNull();
    expect(await accounts().findOne({ _id: 'ab-upd' })).toEqual({ _id: 'ab-upd', bal: 1 });
    expect(await accounts().findOne({ _id: 'ab-del' })).toEqual({ _id: 'ab-del', bal: 2 });
    expect(await ledger().countDocuments({ tx: 'ab' })).toBe(0);
    expect(await otherView().collection('ledger').countDocuments({ tx: 'ab' })).toBe(0);
  });

  it('an error thrown inside withTransaction aborts it and is rethrown', async () => {
    const session = ctx.client.startSession();
    const boom = new Error('boom');
    try {
      const err = await rejectionOf(
        session.withTransaction(async () => {
          await accounts().insertOne({ _id: 'err-new', bal: 1 }, { session });
          await ledger().insertOne({ tx: 'err' }, { session });
          throw boom;
        }),
      );
      expect(err).toBe(boom);
    } finally {
      await session.endSession();
    }
    expect(await accounts().findOne({ _id: 'err-new' })).toBeNull();
    expect(await ledger().countDocuments({ tx: 'err' })).toBe(0);
  });

  it('a duplicate key inside withTransaction aborts the whole transaction', async () => {
    const session = ctx.client.startSession();
    try {
      const err = await rejectionOf(
        session.withTransaction(async () => {
          await items().insertOne({ key: 'wt-fresh' }, { session });
          await items().insertOne({ key: 'taken' }, { session });
        }),
      );
      expect(err).toBeInstanceOf(MongoServerError);
      expect(err.code).toBe(11000);
    } finally {
      await session.endSession();
    }
    expect(await items().countDocuments({ key: 'wt-fresh' })).toBe(0);
    expect(await items().countDocuments({ key: 'taken' })).toBe(1);
  });

  it('after a duplicate key error the server has aborted the transaction: commit fails', async () => {
    const session = ctx.client.startSession();
    try {
      session.startTransaction();
      await items().insertOne({ key: 'manual-fresh' }, { session });
      const dup = await rejectionOf(items().insertOne({ key: 'taken' }, { session }));
      expect(dup.code).toBe(11000);
      const commitErr = await rejectionOf(session.commitTransaction());
      expect(commitErr).toBeInstanceOf(MongoServerError);
      expect(commitErr.code).toBe(251); // NoSuchTransaction
    } finally {
      await session.endSession();
    }
    expect(await items().countDocuments({ key: 'manual-fresh' })).toBe(0);
  });

  it('two transactions writing the same document: the second gets a WriteConflict', async () => {
    await accounts().insertOne({ _id: 'wc', bal: 0 });
    const s1 = ctx.client.startSession();
    const s2 = other.startSession();
    try {
      s1.startTransaction();
      s2.startTransaction();
      await accounts().updateOne({ _id: 'wc' }, { $inc: { bal: 1 } }, { session: s1 });
      const err = await rejectionOf(
        otherView()
          .collection<any>('accounts')
          .updateOne({ _id: 'wc' }, { $inc: { bal: 10 } }, { session: s2 }),
      );
      expect(err).toBeInstanceOf(MongoServerError);
      expect(err.code).toBe(112);
      expect(err.hasErrorLabel('TransientTransactionError')).toBe(true);
      await s2.abortTransaction();
      await s1.commitTransaction();
    } finally {
      await s1.endSession();
      await s2.endSession();
    }
    expect((await accounts().findOne({ _id: 'wc' }))?.bal).toBe(1);
  });

  it('a write outside a transaction waits for the transaction holding the document', async () => {
    await accounts().insertOne({ _id: 'wait', bal: 0 });
    const session = ctx.client.startSession();
    try {
      session.startTransaction();
      await accounts().updateOne({ _id: 'wait' }, { $inc: { bal: 10 } }, { session });
      let outsideDone = false;
      const outside = otherView()
        .collection<any>('accounts')
        .updateOne({ _id: 'wait' }, { $inc: { bal: 1 } })
        .then((r) => {
          outsideDone = true;
          return r;
        });
      await new Promise((r) => setTimeout(r, 300));
      expect(outsideDone).toBe(false);
      await session.commitTransaction();
      const res = await outside;
      expect(res.modifiedCount).toBe(1);
    } finally {
      await session.endSession();
    }
    expect((await accounts().findOne({ _id: 'wait' }))?.bal).toBe(11);
  });

  it("a cursor inside a transaction pages through the transaction's own writes", async () => {
    const session = ctx.client.startSession();
    try {
      session.startTransaction();
      await ledger().insertMany(
        Array.from({ length: 30 }, (_, i) => ({ tx: 'cursor', i })),
        { session },
      );
      const seen = await ledger()
        .find({ tx: 'cursor' }, { session, batchSize: 4 })
        .sort({ i: 1 })
        .toArray();
      expect(seen.map((d) => d.i)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(await ledger().countDocuments({ tx: 'cursor' })).toBe(0);
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
    expect(await ledger().countDocuments({ tx: 'cursor' })).toBe(30);
  });

  it('a committed transaction can be followed by another on the same session', async () => {
    const session = ctx.client.startSession();
    try {
      session.startTransaction();
      await ledger().insertOne({ tx: 'seq', n: 1 }, { session });
      await session.commitTransaction();
      session.startTransaction();
      await ledger().insertOne({ tx: 'seq', n: 2 }, { session });
      await session.abortTransaction();
      session.startTransaction();
      await ledger().insertOne({ tx: 'seq', n: 3 }, { session });
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
    const ns = (await ledger().find({ tx: 'seq' }).sort({ n: 1 }).toArray()).map((d) => d.n);
    expect(ns).toEqual([1, 3]);
  });
});

// The limit is server-wide: on a shared real MongoDB, one second would abort other files' transactions.
describe.skipIf(usingRealMongo)('transactionLifetimeLimitSeconds', () => {
  const admin = () => ctx.client.db('admin');

  it('a transaction its client abandoned is aborted after the limit, and what it held is free again', async () => {
    const { was } = await admin().command({ setParameter: 1, transactionLifetimeLimitSeconds: 1 });
    await accounts().insertOne({ _id: 'abandoned', bal: 0 });
    const session = ctx.client.startSession();
    try {
      session.startTransaction();
      await accounts().updateOne({ _id: 'abandoned' }, { $inc: { bal: 10 } }, { session });
      const waitStarted = Date.now();
      // Waits for the document until the server gives up on the transaction holding it.
      const outside = await otherView()
        .collection<any>('accounts')
        .updateOne({ _id: 'abandoned' }, { $inc: { bal: 1 } });
      expect(outside.modifiedCount).toBe(1);
      expect(Date.now() - waitStarted).toBeGreaterThan(500);
      const late = await rejectionOf(session.commitTransaction());
      expect(late).toMatchObject({ codeName: 'NoSuchTransaction' });
    } finally {
      await session.endSession();
      await admin().command({ setParameter: 1, transactionLifetimeLimitSeconds: was });
    }
    expect((await accounts().findOne({ _id: 'abandoned' }))?.bal).toBe(1);
  });

  it('is read with getParameter, and set only on admin with a whole number of seconds', async () => {
    const read = async () =>
      (await admin().command({ getParameter: 1, transactionLifetimeLimitSeconds: 1 }))
        .transactionLifetimeLimitSeconds;
    expect(await read()).toBe(60);
    expect(
      await rejectionOf(ctx.db.command({ setParameter: 1, transactionLifetimeLimitSeconds: 5 })),
    ).toMatchObject({ codeName: 'Unauthorized' });
    expect(
      await rejectionOf(admin().command({ setParameter: 1, transactionLifetimeLimitSeconds: 0 })),
    ).toMatchObject({ codeName: 'BadValue' });
    expect(await rejectionOf(admin().command({ setParameter: 1, notAParameter: 5 }))).toMatchObject(
      { codeName: 'InvalidOptions' },
    );
    expect(await read()).toBe(60);
    expect(
      await admin().command({ setParameter: 1, transactionLifetimeLimitSeconds: 90 }),
    ).toMatchObject({ was: 60, ok: 1 });
    expect(await read()).toBe(90);
    await admin().command({ setParameter: 1, transactionLifetimeLimitSeconds: 60 });
  });
});
