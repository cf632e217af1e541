import { type Collection, MongoServerError, ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { rejectionOf, useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('fam');

let counter = 0;
async function seeded(): Promise<Collection<any>> {
  counter += 1;
  const c = ctx.db.collection<any>(`fam_${counter}`);
  await c.insertMany([
    { _id: 1, status: 'queued', priority: 1, name: 'low' },
    { _id: 2, status: 'queued', priority: 3, name: 'high' },
    { _id: 3, status: 'queued', priority: 2, name: 'mid' },
    { _id: 4, status: 'done', priority: 9, name: 'finished' },
  ]);
  return c;
}

describe('findOneAndUpdate', () => {
  it('returns the document before the update by default', async () => {
    const c = await seeded();
    const before = await c.findOneAndUpdate({ _id: 1 }, { $set: { status: 'running' } });
    expect(before).toEqual({ _id: 1, status: 'queued', priority: 1, name: 'low' });
    expect((await c.findOne({ _id: 1 }))?.status).toBe('running');
  });

  it("returns the updated document with returnDocument: 'after'", async () => {
    const c = await seeded();
    const after = await c.findOneAndUpdate(
      { _id: 1 },
      { $inc: { priority: 10 } },
      { returnDocument: 'after' },
    );
    expect(after).toEqual({ _id: 1, status: 'queued', priority: 11, name: 'low' });
  });

  it('returns null when nothing matches and changes nothing', async () => {
    const c = await seeded();
    expect(await c.findOneAndUpdate({ _id: 99 }, { $set: { x: 1 } })).toBeNull();
    expect(
      await c.findOneAndUpdate({ _id: 99 }, { $set: { x: 1 } }, { returnDocument: 'after' }),
    ).toBeNull();
    expect(await c.countDocuments({ x: 1 })).toBe(0);
  });

  it('sort chooses which of several matches is modified', async () => {
    const c = await seeded();
    const first = await c.findOneAndUpdate(
      { status: 'queued' },
      { $set: { status: 'taken' } },
      { sort: { priority: -1 }, returnDocument: 'after' },
    );
    expect(first?._id).toBe(2);
    const second = await c.findOneAndUpdate(
      { status: 'queued' },
      { $set: { status: 'taken' } },
      { sort: { priority: -1 } },
    );
    expect(second?._id).toBe(3);
    const lowest = await c.findOneAndUpdate(
      { status: { $in: ['queued', 'taken'] } },
      { $set: { touched: true } },
      { sort: { priority: 1 } },
    );
    expect(lowest?._id).toBe(1);
    expect(await c.countDocuments({ status: 'taken' })).toBe(2);
  });

  it('projection limits the returned fields', async () => {
    const c = await seeded();
    const res = await c.findOneAndUpdate(
      { _id: 2 },
      { $set: { status: 'x' } },
      { projection: { name: 1, status: 1, _id: 0 }, returnDocument: 'after' },
    );
    expect(res).toEqual({ name: 'high', status: 'x' });
  });

  it('upsert inserts: after returns the new document, before returns null', async () => {
    const c = await seeded();
    const after = await c.findOneAndUpdate(
      { name: 'new-one', status: 'queued' },
      { $set: { priority: 5 }, $setOnInsert: { created: true } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(after?._id).toBeInstanceOf(ObjectId);
    expect(after).toMatchObject({ name: 'new-one', status: 'queued', priority: 5, created: true });

    const before = await c.findOneAndUpdate(
      { _id: 'other' },
      { $set: { priority: 6 } },
      { upsert: true, returnDocument: 'before' },
    );
    expect(before).toBeNull();
    expect(await c.findOne({ _id: 'other' })).toEqual({ _id: 'other', priority: 6 });
  });

  it('includeResultMetadata exposes lastErrorObject', async () => {
    const c = await seeded();
    const updated = await c.findOneAndUpdate(
      { _id: 1 },
      { $set: { a: 1 } },
      { includeResultMetadata: true },
    );
    expect(updated.ok).toBe(1);
    expect(updated.value?._id).toBe(1);
    expect(updated.lastErrorObject).toMatchObject({ n: 1, updatedExisting: true });

    const upserted = await c.findOneAndUpdate(
      { _id: 'meta-upsert' },
      { $set: { a: 1 } },
      { includeResultMetadata: true, upsert: true, returnDocument: 'after' },
    );
    expect(upserted.lastErrorObject).toMatchObject({
      n: 1,
      updatedExisting: false,
      upserted: 'meta-upsert',
    });

    const missed = await c.findOneAndUpdate(
      { _id: 'nope' },
      { $set: { a: 1 } },
      { includeResultMetadata: true },
    );
    expect(missed.value).toBeNull();
    expect(missed.lastErrorObject).toMatchObject({ n: 0, updatedExisting: false });
  });

  it('accepts arrayFilters and pipeline updates', async () => {
    const c = await seeded();
    await c.updateOne({ _id: 1 }, { $set: { scores: [1, 7, 3, 9] } });
    const res = await c.findOneAndUpdate(
      { _id: 1 },
      { $set: { 'scores.$[s]': 0 } },
      { arrayFilters: [{ s: { $gt: 5 } }], returnDocument: 'after' },
    );
    expect(res?.scores).toEqual([1, 0, 3, 0]);
    const piped = await c.findOneAndUpdate(
      { _id: 2 },
      [{ $set: { double: { $multiply: ['$priority', 2] } } }],
      { returnDocument: 'after' },
    );
    expect(piped?.double).toBe(6);
  });

  it('fails with 11000 when the update violates a unique index', async () => {
    const c = await seeded();
    await c.createIndex({ name: 1 }, { unique: true });
    const err = await rejectionOf(c.findOneAndUpdate({ _id: 1 }, { $set: { name: 'high' } }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ name: 'high' });
    expect((await c.findOne({ _id: 1 }))?.name).toBe('low');
  });
});

describe('findOneAndReplace', () => {
  it('replaces and returns the before or after image', async () => {
    const c = await seeded();
    const before = await c.findOneAndReplace({ _id: 1 }, { name: 'replaced', v: 1 });
    expect(before).toEqual({ _id: 1, status: 'queued', priority: 1, name: 'low' });
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, name: 'replaced', v: 1 });

    const after = await c.findOneAndReplace(
      { status: 'queued' },
      { name: 'top' },
      { sort: { priority: -1 }, returnDocument: 'after' },
    );
    expect(after).toEqual({ _id: 2, name: 'top' });
  });

  it('upserts a replacement when nothing matches', async () => {
    const c = await seeded();
    const res = await c.findOneAndReplace(
      { name: 'ghost' },
      { name: 'ghost', v: 7 },
      { upsert: true, returnDocument: 'after' },
    );
    expect(res).toMatchObject({ name: 'ghost', v: 7 });
    expect(res?._id).toBeInstanceOf(ObjectId);
    expect(await c.countDocuments({ name: 'ghost' })).toBe(1);
  });
});

describe('findOneAndDelete', () => {
  it('deletes the sorted first match and returns it', async () => {
    const c = await seeded();
    const low = await c.findOneAndDelete({ status: 'queued' }, { sort: { priority: 1 } });
    expect(low?._id).toBe(1);
    const high = await c.findOneAndDelete(
      { status: 'queued' },
      { sort: { priority: -1 }, projection: { name: 1 } },
    );
    expect(high).toEqual({ _id: 2, name: 'high' });
    expect((await c.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([3, 4]);
  });

  it('returns null when nothing matches', async () => {
    const c = await seeded();
    expect(await c.findOneAndDelete({ status: 'nope' })).toBeNull();
    expect(await c.countDocuments()).toBe(4);
  });
});
