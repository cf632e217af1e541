import {
  Binary,
  Decimal128,
  Double,
  Int32,
  Long,
  MongoBulkWriteError,
  MongoServerError,
  ObjectId,
  type Sort,
} from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('crud');

describe('insert', () => {
  it('insertOne generates an ObjectId _id and the document can be read back', async () => {
    const coll = ctx.db.collection('ins_one');
    const res = await coll.insertOne({ name: 'alice', age: 30 });
    expect(res.acknowledged).toBe(true);
    expect(res.insertedId).toBeInstanceOf(ObjectId);
    const doc = await coll.findOne({ _id: res.insertedId });
    expect(doc).toEqual({ _id: res.insertedId, name: 'alice', age: 30 });
  });

  it('insertOne keeps a caller-supplied _id and stores _id first', async () => {
    const coll = ctx.db.collection('ins_custom');
    const res = await coll.insertOne({ z: 1, a: 2, _id: 'custom-id' as any, m: 3 });
    expect(res.insertedId).toBe('custom-id');
    const doc = await coll.findOne({ _id: 'custom-id' as any });
    expect(Object.keys(doc ?? {})).toEqual(['_id', 'z', 'a', 'm']);
  });

  it('insertOne with a duplicate _id fails with 11000 and keyValue', async () => {
    const coll = ctx.db.collection<{ _id: number; v?: number }>('ins_dup');
    await coll.insertOne({ _id: 1, v: 1 });
    const err = await rejectionOf(coll.insertOne({ _id: 1, v: 2 }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11000);
    expect(err.message).toMatch(/E11000 duplicate key/);
    expect(err.keyPattern).toEqual({ _id: 1 });
    expect(err.keyValue).toEqual({ _id: 1 });
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, v: 1 });
  });

  it('insertMany returns insertedCount and insertedIds by index', async () => {
    const coll = ctx.db.collection('ins_many');
    const res = await coll.insertMany([{ n: 1 }, { n: 2 }, { _id: 'x' as any, n: 3 }]);
    expect(res.insertedCount).toBe(3);
    expect(res.insertedIds[0]).toBeInstanceOf(ObjectId);
    expect(res.insertedIds[1]).toBeInstanceOf(ObjectId);
    expect(res.insertedIds[2]).toBe('x');
    expect(await coll.countDocuments()).toBe(3);
  });

  it('ordered insertMany stops at the first duplicate', async () => {
    const coll = ctx.db.collection<{ _id: number }>('ins_ordered');
    const err = await rejectionOf(
      coll.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 2 }, { _id: 3 }, { _id: 4 }]),
    );
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    expect(err.code).toBe(11000);
    expect(err.insertedCount).toBe(2);
    expect(err.writeErrors).toHaveLength(1);
    expect(err.writeErrors[0].index).toBe(2);
    expect(err.writeErrors[0].code).toBe(11000);
    const ids = (await coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(ids).toEqual([1, 2]);
  });

  it('unordered insertMany inserts everything but the duplicates, reporting each index', async () => {
    const coll = ctx.db.collection<{ _id: number }>('ins_unordered');
    const err = await rejectionOf(
      coll.insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }, { _id: 2 }, { _id: 3 }], {
        ordered: false,
      }),
    );
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    expect(err.code).toBe(11000);
    expect(err.insertedCount).toBe(3);
    const indexes = err.writeErrors.map((e: { index: number }) => e.index).sort();
    expect(indexes).toEqual([1, 3]);
    for (const we of err.writeErrors) expect(we.code).toBe(11000);
    const ids = (await coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(ids).toEqual([1, 2, 3]);
  });

  it('keeps int32, double and int64 distinct', async () => {
    const coll = ctx.db.collection('num_types');
    await coll.insertOne({
      _id: 'n' as any,
      int: new Int32(5),
      dbl: new Double(5),
      lng: Long.fromNumber(5),
      frac: 2.5,
    });
    const doc = await coll.findOne({ _id: 'n' as any }, { promoteValues: false });
    expect(doc?.int).toBeInstanceOf(Int32);
    expect(doc?.lng).toBeInstanceOf(Long);
    expect(doc?.frac).toBeInstanceOf(Double);
    expect(doc?.dbl).toBeInstanceOf(Double);
  });

  it('stores and returns a document just under 16 MiB', async () => {
    const coll = ctx.db.collection('big_ok');
    const big = 'b'.repeat(15 * 1024 * 1024);
    await coll.insertOne({ _id: 'big' as any, big });
    const doc = await coll.findOne({ _id: 'big' as any });
    expect(doc?.big.length).toBe(big.length);
    expect(doc?.big === big).toBe(true);
  });

  it('round-trips BSON types faithfully', async () => {
    const coll = ctx.db.collection('types');
    const oid = new ObjectId();
    const date = new Date('2024-05-06T07:08:09.123Z');
    await coll.insertOne({
      _id: 'types' as any,
      int: new Int32(5),
      dbl: new Double(5),
      lng: Long.fromNumber(5),
      dec: Decimal128.fromString('1.10'),
      date,
      oid,
      bin: new Binary(Buffer.from([1, 2, 3, 250])),
      nested: { arr: [1, [2, 3], { x: null }], t: true, f: false },
      str: 'héllo ✓',
      nul: null,
    });
    const doc = await coll.findOne({ _id: 'types' as any }, { promoteValues: false });
    expect(doc?.dec).toBeInstanceOf(Decimal128);
    expect(doc?.dec.toString()).toBe('1.10');
    const plain = await coll.findOne({ _id: 'types' as any });
    expect(plain?.date).toEqual(date);
    expect(plain?.oid.equals(oid)).toBe(true);
    expect(Buffer.from(plain?.bin.buffer)).toEqual(Buffer.from([1, 2, 3, 250]));
    expect(plain?.nested).toEqual({ arr: [1, [2, 3], { x: null }], t: true, f: false });
    expect(plain?.str).toBe('héllo ✓');
    expect(plain?.nul).toBeNull();
  });
});

describe('find', () => {
  const people = [
    { _id: 1, name: 'ann', age: 31, tags: ['a', 'b'], addr: { city: 'Paris', zip: '75001' } },
    { _id: 2, name: 'bob', age: 25, tags: ['b'], addr: { city: 'Lyon', zip: '69001' } },
    { _id: 3, name: 'cid', age: 40, tags: [], addr: { city: 'Paris', zip: '75002' } },
    { _id: 4, name: 'dee', age: null, tags: ['c', 'a'] },
    {
      _id: 5,
      name: 'eve',
      tags: ['a', 'b', 'c'],
      items: [
        { k: 'x', q: 1 },
        { k: 'y', q: 5 },
      ],
    },
    { _id: 6, name: 'Fay', age: 25.5, items: [{ k: 'x', q: 7 }] },
  ];
  const coll = () => ctx.db.collection<any>('people');
  const ids = async (filter: object, sort: Sort = { _id: 1 }) =>
    (await coll().find(filter).sort(sort).toArray()).map((d) => d._id);

  beforeAll(async () => {
    await coll().insertMany(people);
  });

  it('findOne returns null when nothing matches', async () => {
    expect(await coll().findOne({ name: 'nobody' })).toBeNull();
  });

  it('equality, comparison and logical operators', async () => {
    expect(await ids({ name: 'bob' })).toEqual([2]);
    expect(await ids({ age: { $gt: 25 } })).toEqual([1, 3, 6]);
    expect(await ids({ age: { $gte: 25, $lt: 40 } })).toEqual([1, 2, 6]);
    expect(await ids({ age: { $ne: 25 } })).toEqual([1, 3, 4, 5, 6]);
    expect(await ids({ name: { $in: ['ann', 'eve', 'zed'] } })).toEqual([1, 5]);
    expect(await ids({ name: { $nin: ['ann', 'eve'] } })).toEqual([2, 3, 4, 6]);
    expect(await ids({ $or: [{ age: 40 }, { name: 'bob' }] })).toEqual([2, 3]);
    expect(await ids({ $and: [{ age: { $gt: 20 } }, { age: { $lt: 30 } }] })).toEqual([2, 6]);
    expect(await ids({ $nor: [{ age: 25 }, { tags: 'a' }] })).toEqual([3, 6]);
    expect(await ids({ age: { $not: { $gt: 30 } } })).toEqual([2, 4, 5, 6]);
  });

  it('null matches null and missing fields; $exists distinguishes them', async () => {
    expect(await ids({ age: null })).toEqual([4, 5]);
    expect(await ids({ age: { $exists: false } })).toEqual([5]);
    expect(await ids({ age: { $exists: true } })).toEqual([1, 2, 3, 4, 6]);
    expect(await ids({ age: { $type: 'null' } })).toEqual([4]);
  });

  it('numbers of different BSON types compare by value', async () => {
    const c = ctx.db.collection<any>('numeric');
    await c.insertMany([
      { _id: 'i', v: new Int32(7) },
      { _id: 'd', v: new Double(7) },
      { _id: 'l', v: Long.fromNumber(7) },
      { _id: 'dec', v: Decimal128.fromString('7') },
      { _id: 's', v: '7' },
    ]);
    const matched = (await c.find({ v: 7 }).toArray()).map((d) => d._id).sort();
    expect(matched).toEqual(['d', 'dec', 'i', 'l']);
  });

  it('$type distinguishes int, long, string and number', async () => {
    const c = ctx.db.collection<any>('numeric_types');
    await c.insertMany([
      { _id: 'i', v: new Int32(7) },
      { _id: 'd', v: new Double(7) },
      { _id: 'l', v: Long.fromNumber(7) },
      { _id: 'dec', v: Decimal128.fromString('7') },
      { _id: 's', v: '7' },
    ]);
    expect((await c.find({ v: { $type: 'long' } }).toArray()).map((d) => d._id)).toEqual(['l']);
    expect((await c.find({ v: { $type: 'int' } }).toArray()).map((d) => d._id)).toEqual(['i']);
    expect((await c.find({ v: { $type: 'string' } }).toArray()).map((d) => d._id)).toEqual(['s']);
    expect(await c.countDocuments({ v: { $type: 'number' } })).toBe(4);
  });

  it('array fields match elements, exact arrays, $all, $size and $elemMatch', async () => {
    expect(await ids({ tags: 'a' })).toEqual([1, 4, 5]);
    expect(await ids({ tags: ['a', 'b'] })).toEqual([1]);
    expect(await ids({ tags: ['b', 'a'] })).toEqual([]);
    expect(await ids({ tags: { $all: ['a', 'b'] } })).toEqual([1, 5]);
    expect(await ids({ tags: { $size: 0 } })).toEqual([3]);
    expect(await ids({ tags: { $size: 3 } })).toEqual([5]);
    expect(await ids({ items: { $elemMatch: { k: 'x', q: { $gt: 3 } } } })).toEqual([6]);
    // Without $elemMatch the conditions may be met by different elements.
    expect(await ids({ 'items.k': 'x', 'items.q': { $gt: 3 } })).toEqual([5, 6]);
    expect(await ids({ 'items.q': 5 })).toEqual([5]);
  });

  it('dotted paths and embedded document equality (field order matters)', async () => {
    expect(await ids({ 'addr.city': 'Paris' })).toEqual([1, 3]);
    expect(await ids({ addr: { city: 'Lyon', zip: '69001' } })).toEqual([2]);
    expect(await ids({ addr: { zip: '69001', city: 'Lyon' } })).toEqual([]);
  });

  it('$regex, $mod and $expr', async () => {
    expect(await ids({ name: { $regex: '^[a-c]' } })).toEqual([1, 2, 3]);
    expect(await ids({ name: { $regex: '^f', $options: 'i' } })).toEqual([6]);
    expect(await ids({ name: /E$/i })).toEqual([4, 5]);
    expect(await ids({ _id: { $mod: [2, 0] } })).toEqual([2, 4, 6]);
    expect(await ids({ $expr: { $gt: ['$age', { $multiply: ['$_id', 10] }] } })).toEqual([1, 2, 3]);
  });

  it('sorts ascending, descending and on compound keys', async () => {
    const byName = (await coll().find().sort({ name: 1 }).toArray()).map((d) => d.name);
    // Binary comparison: uppercase sorts before lowercase.
    expect(byName).toEqual(['Fay', 'ann', 'bob', 'cid', 'dee', 'eve']);
    expect(await ids({}, { age: -1, _id: 1 })).toEqual([3, 1, 6, 2, 4, 5]);
    expect(await ids({}, { age: 1, _id: -1 })).toEqual([5, 4, 2, 6, 1, 3]);
  });

  it('sorts values of mixed types in BSON order', async () => {
    const c = ctx.db.collection<any>('mixed_sort');
    await c.insertMany([
      { _id: 1, v: 'str' },
      { _id: 2, v: 10 },
      { _id: 3, v: true },
      { _id: 4, v: null },
      { _id: 5, v: { a: 1 } },
      { _id: 6, v: new Date(0) },
      { _id: 7, v: 2.5 },
      { _id: 8 },
      { _id: 9, v: new ObjectId('000000000000000000000000') },
    ]);
    const order = (await c.find().sort({ v: 1, _id: 1 }).toArray()).map((d) => d._id);
    // null/missing < numbers < strings < objects < ObjectId < booleans < dates
    expect(order).toEqual([4, 8, 7, 2, 1, 5, 9, 3, 6]);
  });

  it('sorts arrays by their smallest element ascending and largest descending', async () => {
    const c = ctx.db.collection<any>('array_sort');
    await c.insertMany([
      { _id: 1, a: [5, 1] },
      { _id: 2, a: [3] },
      { _id: 3, a: 2 },
    ]);
    expect((await c.find().sort({ a: 1 }).toArray()).map((d) => d._id)).toEqual([1, 3, 2]);
    expect((await c.find().sort({ a: -1 }).toArray()).map((d) => d._id)).toEqual([1, 2, 3]);
  });

  describe('paths, dates, ObjectIds, $type aliases and regex in $in', () => {
    const c = () => ctx.db.collection<any>('paths');
    const oid = new ObjectId();
    const idsOf = async (f: object) =>
      (await c().find(f).sort({ _id: 1 }).toArray()).map((d) => d._id);

    beforeAll(async () => {
      await c().insertMany([
        { _id: 1, arr: ['x', 'y'], at: new Date('2024-01-01T00:00:00Z'), ref: oid },
        { _id: 2, arr: ['y', 'x'], at: new Date('2024-06-01T00:00:00Z'), ref: new ObjectId() },
        { _id: 3, arr: [{ n: 1 }, { n: 2 }], at: new Date('2025-01-01T00:00:00Z') },
      ]);
    });

    it('array index paths', async () => {
      expect(await idsOf({ 'arr.1': 'x' })).toEqual([2]);
      expect(await idsOf({ 'arr.0.n': 1 })).toEqual([3]);
    });

    it('date ranges and ObjectId equality', async () => {
      expect(await idsOf({ at: { $gte: new Date('2024-03-01T00:00:00Z') } })).toEqual([2, 3]);
      expect(await idsOf({ at: { $lt: new Date('2024-06-01T00:00:00Z') } })).toEqual([1]);
      expect(await idsOf({ ref: oid })).toEqual([1]);
    });

    it('$type aliases objectId, date and array', async () => {
      expect(await idsOf({ ref: { $type: 'objectId' } })).toEqual([1, 2]);
      expect(await idsOf({ at: { $type: 'date' } })).toEqual([1, 2, 3]);
      expect(await idsOf({ arr: { $type: 'array' } })).toEqual([1, 2, 3]);
    });

    it('$in accepts regular expressions', async () => {
      expect(await idsOf({ arr: { $in: [/^y/] } })).toEqual([1, 2]);
    });
  });

  it('positional projection returns the first matching element', async () => {
    const doc = await coll().findOne(
      { _id: 5, 'items.q': { $gt: 2 } },
      { projection: { 'items.$': 1 } },
    );
    expect(doc).toEqual({ _id: 5, items: [{ k: 'y', q: 5 }] });
  });

  it('null-related operators: $in [null], $ne null, $exists on null', async () => {
    expect(await ids({ age: { $in: [null, 40] } })).toEqual([3, 4, 5]);
    expect(await ids({ age: { $ne: null } })).toEqual([1, 2, 3, 6]);
    expect(await ids({ age: { $nin: [null] } })).toEqual([1, 2, 3, 6]);
  });

  it('comparisons only match values of the same type bracket', async () => {
    const c = ctx.db.collection<any>('brackets');
    await c.insertMany([
      { _id: 1, a: 10 },
      { _id: 2, a: '10' },
      { _id: 3, a: 'abc' },
      { _id: 4, a: true },
      { _id: 5, a: [1, 7] },
      { _id: 6, a: new Date('2020-01-01T00:00:00Z') },
    ]);
    const idsOf = async (f: object) =>
      (await c.find(f).sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(await idsOf({ a: { $gt: 5 } })).toEqual([1, 5]);
    expect(await idsOf({ a: { $lt: 'b' } })).toEqual([2, 3]);
    expect(await idsOf({ a: { $gte: new Date(0) } })).toEqual([6]);
    expect(await idsOf({ a: { $elemMatch: { $gt: 5, $lt: 8 } } })).toEqual([5]);
    expect(await idsOf({ a: { $regex: '^1' } })).toEqual([2]);
    expect(await idsOf({ a: { $size: 2 } })).toEqual([5]);
  });

  it('projection: inclusion keeps _id unless excluded', async () => {
    const doc = await coll().findOne({ _id: 1 }, { projection: { name: 1, 'addr.city': 1 } });
    expect(doc).toEqual({ _id: 1, name: 'ann', addr: { city: 'Paris' } });
    const noId = await coll().findOne({ _id: 1 }, { projection: { name: 1, _id: 0 } });
    expect(noId).toEqual({ name: 'ann' });
  });

  it('projection: included fields come back in the document order, as from MongoDB', async () => {
    const doc = await coll().findOne({ _id: 2 }, { projection: { age: 1, name: 1 } });
    expect(Object.keys(doc ?? {})).toEqual(['_id', 'name', 'age']);
    const onlyId = await coll().findOne({ _id: 2 }, { projection: { _id: 1 } });
    expect(onlyId).toEqual({ _id: 2 });
    const allButId = await coll().findOne({ _id: 2 }, { projection: { _id: 0 } });
    expect(allButId).toMatchObject({ name: 'bob', age: 25 });
    expect(allButId).not.toHaveProperty('_id');
  });

  it('projection: exclusion removes only the named fields', async () => {
    const doc = await coll().findOne({ _id: 2 }, { projection: { tags: 0, 'addr.zip': 0 } });
    expect(doc).toEqual({ _id: 2, name: 'bob', age: 25, addr: { city: 'Lyon' } });
    const sub = await coll().findOne({ _id: 5 }, { projection: { 'items.k': 1, _id: 0 } });
    expect(sub).toEqual({ items: [{ k: 'x' }, { k: 'y' }] });
  });

  it('projection: $slice and $elemMatch', async () => {
    const sliced = await coll().findOne({ _id: 5 }, { projection: { tags: { $slice: 2 } } });
    expect(sliced?.tags).toEqual(['a', 'b']);
    expect(sliced?.name).toBe('eve');
    const em = await coll().findOne(
      { _id: 5 },
      { projection: { items: { $elemMatch: { q: { $gt: 2 } } } } },
    );
    expect(em).toEqual({ _id: 5, items: [{ k: 'y', q: 5 }] });
  });

  it('projection mixing inclusion and exclusion is rejected', async () => {
    const err = await rejectionOf(coll().findOne({}, { projection: { name: 1, age: 0 } }));
    expect(err).toBeInstanceOf(MongoServerError);
  });

  it('skip and limit apply after sort', async () => {
    expect(
      (await coll().find().sort({ _id: -1 }).skip(1).limit(2).toArray()).map((d) => d._id),
    ).toEqual([5, 4]);
    expect((await coll().find().sort({ _id: 1 }).skip(5).toArray()).map((d) => d._id)).toEqual([6]);
    expect(await coll().find().skip(10).toArray()).toEqual([]);
    expect((await coll().find().sort({ _id: 1 }).limit(1).toArray()).map((d) => d._id)).toEqual([
      1,
    ]);
  });

  it('find on a missing collection returns nothing', async () => {
    expect(await ctx.db.collection('does_not_exist').find({}).toArray()).toEqual([]);
    expect(await ctx.db.collection('does_not_exist').countDocuments()).toBe(0);
  });
});

describe('bulkWrite', () => {
  it('mixes inserts, updates, upserts, replaces and deletes with accurate counts', async () => {
    const c = ctx.db.collection<any>('bulk');
    await c.insertMany([
      { _id: 1, v: 1 },
      { _id: 2, v: 2 },
      { _id: 3, v: 3 },
    ]);
    const res = await c.bulkWrite([
      { insertOne: { document: { _id: 4, v: 4 } } },
      { updateOne: { filter: { _id: 1 }, update: { $set: { v: 10 } } } },
      { updateMany: { filter: { v: { $gte: 3 } }, update: { $inc: { v: 100 } } } },
      { updateOne: { filter: { _id: 9 }, update: { $set: { v: 9 } }, upsert: true } },
      { replaceOne: { filter: { _id: 2 }, replacement: { w: 'replaced' } } },
      { deleteOne: { filter: { _id: 3 } } },
      { deleteMany: { filter: { v: { $gt: 1000 } } } },
    ]);
    expect(res.insertedCount).toBe(1);
    // updateMany also matches _id 1, already raised to 10 by the op before it.
    expect(res.matchedCount).toBe(5);
    expect(res.modifiedCount).toBe(5);
    expect(res.upsertedCount).toBe(1);
    expect(res.upsertedIds).toEqual({ 3: 9 });
    expect(res.deletedCount).toBe(1);
    expect(await c.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, v: 110 },
      { _id: 2, w: 'replaced' },
      { _id: 4, v: 104 },
      { _id: 9, v: 9 },
    ]);
  });

  it('an ordered bulkWrite stops at the first error, an unordered one carries on', async () => {
    const c = ctx.db.collection<any>('bulk_err');
    await c.insertOne({ _id: 1 });
    const ordered = await rejectionOf(
      c.bulkWrite([
        { insertOne: { document: { _id: 2 } } },
        { insertOne: { document: { _id: 1 } } },
        { updateOne: { filter: { _id: 2 }, update: { $set: { after: true } } } },
      ]),
    );
    expect(ordered).toBeInstanceOf(MongoBulkWriteError);
    expect(ordered.writeErrors[0].index).toBe(1);
    expect(await c.countDocuments({ after: true })).toBe(0);

    const unordered = await rejectionOf(
      c.bulkWrite(
        [
          { insertOne: { document: { _id: 1 } } },
          { updateOne: { filter: { _id: 2 }, update: { $set: { after: true } } } },
          { deleteOne: { filter: { _id: 1 } } },
        ],
        { ordered: false },
      ),
    );
    expect(unordered).toBeInstanceOf(MongoBulkWriteError);
    expect(unordered.writeErrors.map((e: { index: number }) => e.index)).toEqual([0]);
    expect(await c.find().sort({ _id: 1 }).toArray()).toEqual([{ _id: 2, after: true }]);
  });
});

describe('delete', () => {
  it('deleteOne removes one of several matches; deleteMany removes all', async () => {
    const coll = ctx.db.collection('del');
    await coll.insertMany([{ k: 'a' }, { k: 'a' }, { k: 'a' }, { k: 'b' }, { k: 'b' }, { k: 'c' }]);
    const one = await coll.deleteOne({ k: 'a' });
    expect(one.deletedCount).toBe(1);
    expect(await coll.countDocuments({ k: 'a' })).toBe(2);

    const many = await coll.deleteMany({ k: { $in: ['a', 'b'] } });
    expect(many.deletedCount).toBe(4);
    expect(await coll.countDocuments()).toBe(1);

    expect((await coll.deleteOne({ k: 'zzz' })).deletedCount).toBe(0);
    expect((await coll.deleteMany({ k: 'zzz' })).deletedCount).toBe(0);
    expect((await coll.deleteMany({})).deletedCount).toBe(1);
    expect(await coll.countDocuments()).toBe(0);
  });
});
