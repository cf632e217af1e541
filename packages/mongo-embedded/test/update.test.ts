import { type Collection, Decimal128, Int32, Long, MongoServerError, ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { rejectionOf, useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('update');

let counter = 0;
/** A fresh collection per test so tests never see each other's documents. */
/** Untyped update document (the driver's typings reject some valid operator forms on `any`). */
const op = (update: Record<string, unknown>): any => update;

function fresh(): Collection<any> {
  counter += 1;
  return ctx.db.collection<any>(`upd_${counter}`);
}

describe('updateOne / updateMany results', () => {
  it('updateOne modifies only the first match', async () => {
    const c = fresh();
    await c.insertMany([
      { _id: 1, k: 'a', v: 0 },
      { _id: 2, k: 'a', v: 0 },
    ]);
    const res = await c.updateOne({ k: 'a' }, { $set: { v: 1 } });
    expect(res.matchedCount).toBe(1);
    expect(res.modifiedCount).toBe(1);
    expect(res.upsertedCount).toBe(0);
    expect(res.upsertedId).toBeNull();
    expect(await c.countDocuments({ v: 1 })).toBe(1);
  });

  it('updateMany counts matched and actually modified documents separately', async () => {
    const c = fresh();
    await c.insertMany([
      { _id: 1, g: 'x', s: 'old' },
      { _id: 2, g: 'x', s: 'new' },
      { _id: 3, g: 'x', s: 'old' },
      { _id: 4, g: 'y', s: 'old' },
    ]);
    const res = await c.updateMany({ g: 'x' }, { $set: { s: 'new' } });
    expect(res.matchedCount).toBe(3);
    expect(res.modifiedCount).toBe(2);
    expect(await c.countDocuments({ s: 'new' })).toBe(3);
    expect((await c.findOne({ _id: 4 }))?.s).toBe('old');
  });

  it('an update that changes nothing reports modifiedCount 0', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, a: 5 });
    const res = await c.updateOne({ _id: 1 }, { $set: { a: 5 } });
    expect(res.matchedCount).toBe(1);
    expect(res.modifiedCount).toBe(0);
    const none = await c.updateOne({ _id: 99 }, { $set: { a: 1 } });
    expect(none.matchedCount).toBe(0);
    expect(none.modifiedCount).toBe(0);
  });
});

describe('upsert', () => {
  it('inserts with $setOnInsert and the filter equality fields, then leaves $setOnInsert alone on match', async () => {
    const c = fresh();
    const first = await c.updateOne(
      { sku: 'abc', 'meta.kind': 'widget', qty: { $gt: 3 } },
      { $set: { price: 10 }, $setOnInsert: { created: 'first' } },
      { upsert: true },
    );
    expect(first.matchedCount).toBe(0);
    expect(first.modifiedCount).toBe(0);
    expect(first.upsertedCount).toBe(1);
    expect(first.upsertedId).toBeInstanceOf(ObjectId);
    const doc = await c.findOne({ _id: first.upsertedId });
    expect(doc).toEqual({
      _id: first.upsertedId,
      sku: 'abc',
      meta: { kind: 'widget' },
      price: 10,
      created: 'first',
    });

    const second = await c.updateOne(
      { sku: 'abc' },
      { $set: { price: 11 }, $setOnInsert: { created: 'second' } },
      { upsert: true },
    );
    expect(second.matchedCount).toBe(1);
    expect(second.modifiedCount).toBe(1);
    expect(second.upsertedCount).toBe(0);
    expect(second.upsertedId).toBeNull();
    const after = await c.findOne({ sku: 'abc' });
    expect(after?.price).toBe(11);
    expect(after?.created).toBe('first');
    expect(await c.countDocuments()).toBe(1);
  });

  it('uses the _id from the filter as the new document id', async () => {
    const c = fresh();
    const res = await c.updateOne({ _id: 'fixed' }, { $inc: { n: 1 } }, { upsert: true });
    expect(res.upsertedId).toBe('fixed');
    await c.updateOne({ _id: 'fixed' }, { $inc: { n: 1 } }, { upsert: true });
    expect(await c.findOne({ _id: 'fixed' })).toEqual({ _id: 'fixed', n: 2 });
  });

  it('updateMany upserts a single document when nothing matches', async () => {
    const c = fresh();
    const res = await c.updateMany({ team: 'red' }, { $set: { active: true } }, { upsert: true });
    expect(res.upsertedCount).toBe(1);
    expect(res.matchedCount).toBe(0);
    expect(await c.find({}, { projection: { _id: 0 } }).toArray()).toEqual([
      { team: 'red', active: true },
    ]);
  });

  it('replaceOne with upsert inserts the replacement', async () => {
    const c = fresh();
    const res = await c.replaceOne({ name: 'z' }, { name: 'z', v: 2 }, { upsert: true });
    expect(res.upsertedCount).toBe(1);
    const doc = await c.findOne({ name: 'z' });
    expect(doc).toEqual({ _id: res.upsertedId, name: 'z', v: 2 });
  });
});

describe('update operators', () => {
  it('$set creates nested paths and sets array elements by index; $unset removes fields', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, arr: ['a', 'b', 'c'], gone: 1, keep: 2 });
    await c.updateOne({ _id: 1 }, { $set: { 'x.y.z': 1, 'arr.1': 'B' }, $unset: { gone: '' } });
    expect(await c.findOne({ _id: 1 })).toEqual({
      _id: 1,
      arr: ['a', 'B', 'c'],
      keep: 2,
      x: { y: { z: 1 } },
    });
    const noop = await c.updateOne({ _id: 1 }, { $unset: { missing: '' } });
    expect(noop.modifiedCount).toBe(0);
  });

  it('$inc and $mul create missing fields and add across numeric types', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, a: 1, b: 2 });
    await c.updateOne({ _id: 1 }, { $inc: { a: 2, b: -0.5, fresh: 5 }, $mul: { m: 3 } });
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, a: 3, b: 1.5, fresh: 5, m: 0 });
  });

  it('$inc on a non-numeric field fails with TypeMismatch (14)', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, a: 'text' });
    const err = await rejectionOf(c.updateOne({ _id: 1 }, { $inc: { a: 1 } }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(14);
    expect((await c.findOne({ _id: 1 }))?.a).toBe('text');
  });

  it('$push (with $each, $sort, $slice), $pull and $addToSet', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, nums: [4], set: [1, 2], pullme: [1, 5, 7, 2, 5], items: [] });
    await c.updateOne(
      { _id: 1 },
      op({ $push: { nums: { $each: [5, 1, 3], $sort: 1, $slice: 3 } } }),
    );
    await c.updateOne({ _id: 1 }, op({ $push: { created: 'first' } }));
    await c.updateOne({ _id: 1 }, op({ $pull: { pullme: { $gte: 5 } } }));
    await c.updateOne(
      { _id: 1 },
      op({
        $push: {
          items: {
            $each: [
              { k: 'a', q: 0 },
              { k: 'b', q: 2 },
              { k: 'c', q: 0 },
            ],
          },
        },
      }),
    );
    await c.updateOne({ _id: 1 }, op({ $pull: { items: { q: 0 } } }));
    const unchanged = await c.updateOne({ _id: 1 }, { $addToSet: { set: 2 } });
    expect(unchanged.modifiedCount).toBe(0);
    await c.updateOne({ _id: 1 }, { $addToSet: { set: { $each: [2, 3, 3, 4] } } });
    expect(await c.findOne({ _id: 1 })).toEqual({
      _id: 1,
      nums: [1, 3, 4],
      set: [1, 2, 3, 4],
      pullme: [1, 2],
      items: [{ k: 'b', q: 2 }],
      created: ['first'],
    });
  });

  it('$pop, $pullAll and $push with $position', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, a: [1, 2, 3], b: [1, 2, 3], c: [0, 5, 0, 6], d: ['x'] });
    await c.updateOne({ _id: 1 }, op({ $pop: { a: 1, b: -1 } }));
    await c.updateOne({ _id: 1 }, op({ $pullAll: { c: [0, 6] } }));
    await c.updateOne({ _id: 1 }, op({ $push: { d: { $each: ['first'], $position: 0 } } }));
    expect(await c.findOne({ _id: 1 })).toEqual({
      _id: 1,
      a: [1, 2],
      b: [2, 3],
      c: [5],
      d: ['first', 'x'],
    });
  });

  it('$inc keeps integer types integral and widens only when needed', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, i: 1, d: 1.5 });
    await c.updateOne({ _id: 1 }, { $inc: { i: 2, d: 1 } });
    expect(await c.countDocuments({ _id: 1, i: { $type: 'int' } })).toBe(1);
    expect(await c.countDocuments({ _id: 1, d: { $type: 'double' } })).toBe(1);
    await c.updateOne({ _id: 1 }, { $inc: { i: 0.5 } });
    expect(await c.countDocuments({ _id: 1, i: { $type: 'double' } })).toBe(1);
    expect((await c.findOne({ _id: 1 }))?.i).toBe(3.5);
  });

  it('$inc on int32 overflowing promotes to int64; int64 stays exact beyond 2^53', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, i: new Int32(2147483647), l: Long.fromString('9007199254740993') });
    await c.updateOne({ _id: 1 }, { $inc: { i: 1, l: Long.fromNumber(1) } });
    const doc = await c.findOne({ _id: 1 }, { promoteLongs: false });
    expect(doc?.i).toBeInstanceOf(Long);
    expect(doc?.i.toString()).toBe('2147483648');
    expect(doc?.l.toString()).toBe('9007199254740994');
  });

  it('$inc on Decimal128 is exact decimal arithmetic', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, amt: Decimal128.fromString('0.2') });
    await c.updateOne({ _id: 1 }, { $inc: { amt: Decimal128.fromString('0.1') } });
    const doc = await c.findOne({ _id: 1 });
    expect(doc?.amt).toBeInstanceOf(Decimal128);
    expect(doc?.amt.toString()).toBe('0.3');
  });

  it('$unset of an array element leaves null in its place', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, arr: [1, 2, 3] });
    await c.updateOne({ _id: 1 }, { $unset: { 'arr.1': '' } });
    expect((await c.findOne({ _id: 1 }))?.arr).toEqual([1, null, 3]);
  });

  it('setting a subfield of a scalar fails with PathNotViable (28)', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, a: 5 });
    const err = await rejectionOf(c.updateOne({ _id: 1 }, { $set: { 'a.b': 1 } }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(28);
    expect((await c.findOne({ _id: 1 }))?.a).toBe(5);
  });

  it('$set past the end of an array pads with nulls', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, arr: [1, 2] });
    await c.updateOne({ _id: 1 }, { $set: { 'arr.4': 'x' } });
    expect((await c.findOne({ _id: 1 }))?.arr).toEqual([1, 2, null, null, 'x']);
  });

  it('setting a field through an array without a positional operator fails with 28', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, items: [{ q: 1 }, { q: 2 }] });
    const err = await rejectionOf(c.updateOne({ _id: 1 }, { $set: { 'items.q': 5 } }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(28);
    expect((await c.findOne({ _id: 1 }))?.items).toEqual([{ q: 1 }, { q: 2 }]);
  });

  it('$push onto a non-array field fails', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, a: 5 });
    const err = await rejectionOf(c.updateOne({ _id: 1 }, op({ $push: { a: 6 } })));
    expect(err).toBeInstanceOf(MongoServerError);
    expect((await c.findOne({ _id: 1 }))?.a).toBe(5);
  });

  it('$rename, $min, $max', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, old: 'v', lo: 5, hi: 5, d: new Date('2020-01-01T00:00:00Z') });
    await c.updateOne({ _id: 1 }, { $rename: { old: 'renamed' } });
    await c.updateOne({ _id: 1 }, { $min: { lo: 3 }, $max: { hi: 9 } });
    const noChange = await c.updateOne({ _id: 1 }, { $min: { lo: 4 }, $max: { hi: 1 } });
    expect(noChange.modifiedCount).toBe(0);
    await c.updateOne({ _id: 1 }, { $min: { d: new Date('2019-06-01T00:00:00Z') } });
    const doc = await c.findOne({ _id: 1 });
    expect(doc).toEqual({
      _id: 1,
      renamed: 'v',
      lo: 3,
      hi: 9,
      d: new Date('2019-06-01T00:00:00Z'),
    });
    expect('old' in (doc ?? {})).toBe(false);
  });

  it('$currentDate sets the server date', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1 });
    await c.updateOne(
      { _id: 1 },
      op({ $currentDate: { touched: true, typed: { $type: 'date' } } }),
    );
    const doc = await c.findOne({ _id: 1 });
    expect(doc?.touched).toBeInstanceOf(Date);
    expect(doc?.typed).toBeInstanceOf(Date);
    expect(Math.abs(doc?.touched.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('positional $ updates the first matching array element', async () => {
    const c = fresh();
    await c.insertOne({
      _id: 1,
      grades: [70, 80, 90, 80],
      items: [
        { name: 'a', qty: 1 },
        { name: 'b', qty: 1 },
      ],
    });
    await c.updateOne({ _id: 1, grades: 80 }, { $set: { 'grades.$': 82 } });
    await c.updateOne({ _id: 1, 'items.name': 'b' }, { $inc: { 'items.$.qty': 5 } });
    const doc = await c.findOne({ _id: 1 });
    expect(doc?.grades).toEqual([70, 82, 90, 80]);
    expect(doc?.items).toEqual([
      { name: 'a', qty: 1 },
      { name: 'b', qty: 6 },
    ]);
  });

  it('$[] updates every element and arrayFilters $[elem] updates the matching ones', async () => {
    const c = fresh();
    await c.insertOne({
      _id: 1,
      all: [1, 2, 3],
      grades: [80, 85, 90, 60],
      items: [
        { name: 'a', qty: 1 },
        { name: 'b', qty: 5 },
        { name: 'c', qty: 0 },
      ],
    });
    await c.updateOne({ _id: 1 }, { $inc: { 'all.$[]': 10 } });
    await c.updateOne(
      { _id: 1 },
      { $set: { 'grades.$[g]': 100 } },
      { arrayFilters: [{ g: { $gte: 85 } }] },
    );
    await c.updateOne(
      { _id: 1 },
      { $set: { 'items.$[it].low': true } },
      { arrayFilters: [{ 'it.qty': { $lt: 2 } }] },
    );
    expect(await c.findOne({ _id: 1 })).toEqual({
      _id: 1,
      all: [11, 12, 13],
      grades: [80, 100, 100, 60],
      items: [
        { name: 'a', qty: 1, low: true },
        { name: 'b', qty: 5 },
        { name: 'c', qty: 0, low: true },
      ],
    });
  });

  it('updateMany with arrayFilters applies per document', async () => {
    const c = fresh();
    await c.insertMany([
      { _id: 1, v: [1, 5, 9] },
      { _id: 2, v: [6, 2] },
    ]);
    const res = await c.updateMany(
      {},
      { $mul: { 'v.$[big]': 10 } },
      { arrayFilters: [{ big: { $gt: 4 } }] },
    );
    expect(res.modifiedCount).toBe(2);
    expect(await c.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, v: [1, 50, 90] },
      { _id: 2, v: [60, 2] },
    ]);
  });

  it('a pipeline update computes fields from the document', async () => {
    const c = fresh();
    await c.insertMany([
      { _id: 1, a: 2, b: 3, tmp: 'x' },
      { _id: 2, a: 10, b: 20, tmp: 'y' },
    ]);
    const res = await c.updateOne({ _id: 1 }, [
      { $set: { c: { $add: ['$a', '$b'] } } },
      { $unset: 'tmp' },
    ]);
    expect(res.modifiedCount).toBe(1);
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, a: 2, b: 3, c: 5 });
    await c.updateMany({}, [{ $set: { prod: { $multiply: ['$a', '$b'] } } }]);
    expect((await c.findOne({ _id: 2 }))?.prod).toBe(200);
  });

  it('modifying _id fails with ImmutableField (66)', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, a: 1 });
    const err = await rejectionOf(c.updateOne({ _id: 1 }, { $set: { _id: 2 } }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(66);
    const err2 = await rejectionOf(c.replaceOne({ _id: 1 }, { _id: 2, a: 2 }));
    expect(err2.code).toBe(66);
    expect(await c.find().toArray()).toEqual([{ _id: 1, a: 1 }]);
  });

  it('conflicting operators on the same path fail with ConflictingUpdateOperators (40)', async () => {
    const c = fresh();
    await c.insertOne({ _id: 1, a: 1 });
    const err = await rejectionOf(c.updateOne({ _id: 1 }, { $set: { a: 5 }, $inc: { a: 1 } }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(40);
    expect((await c.findOne({ _id: 1 }))?.a).toBe(1);
  });
});

describe('replaceOne', () => {
  it('replaces the whole document but keeps its _id', async () => {
    const c = fresh();
    await c.insertMany([
      { _id: 1, a: 1, b: 2, tag: 't' },
      { _id: 2, a: 1, tag: 't' },
    ]);
    const res = await c.replaceOne({ tag: 't' }, { c: 3 });
    expect(res.matchedCount).toBe(1);
    expect(res.modifiedCount).toBe(1);
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, c: 3 });
    expect(await c.findOne({ _id: 2 })).toEqual({ _id: 2, a: 1, tag: 't' });
  });
});

describe('updates combining operators with a filter on the fields they change', () => {
  const ctx2 = useTestMongo('update_combined');

  it('$set and $inc together apply both, even when the filter names the incremented field', async () => {
    const c = ctx2.db.collection<{ _id: number; hash: string; version: number }>('accounts');
    await c.insertOne({ _id: 1, hash: 'old', version: 0 });
    const after = await c.findOneAndUpdate(
      { _id: 1, version: 0 },
      { $set: { hash: 'new' }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    );
    expect(after).toEqual({ _id: 1, hash: 'new', version: 1 });
    const res = await c.updateOne(
      { _id: 1, version: 1 },
      { $set: { hash: 'newer' }, $inc: { version: 1 } },
    );
    expect(res.modifiedCount).toBe(1);
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, hash: 'newer', version: 2 });
  });

  it('a filter on an int64 field matches and the $set applies', async () => {
    const c = ctx2.db.collection<{ _id: number; n: unknown; tag?: string }>('longs');
    await c.insertOne({ _id: 1, n: Long.fromNumber(5) });
    expect((await c.updateOne({ n: 5 }, { $set: { tag: 'five' } })).modifiedCount).toBe(1);
    expect((await c.findOne({ _id: 1 }))?.tag).toBe('five');
  });
});
