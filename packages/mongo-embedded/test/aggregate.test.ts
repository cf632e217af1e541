import { ObjectId } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('aggregate');

const orders = () => ctx.db.collection<any>('orders');
const customers = () => ctx.db.collection<any>('customers');

beforeAll(async () => {
  await customers().insertMany([
    { _id: 'ann', name: 'Ann', city: 'Paris' },
    { _id: 'bob', name: 'Bob', city: 'Lyon' },
    { _id: 'cy', name: 'Cy', city: 'Nice' },
  ]);
  await orders().insertMany([
    { _id: 1, cust: 'ann', item: 'pen', qty: 2, price: 10, tags: ['a', 'b'] },
    { _id: 2, cust: 'bob', item: 'ink', qty: 1, price: 30, tags: ['b'] },
    { _id: 3, cust: 'ann', item: 'ink', qty: 5, price: 20, tags: [] },
    { _id: 4, cust: 'ann', item: 'pen', qty: 1, price: 30, tags: null },
    { _id: 5, cust: 'bob', item: 'pad', qty: 4, price: 5 },
    { _id: 6, cust: 'zed', item: 'pad', qty: 3, price: 5, tags: 'solo' },
  ]);
});

describe('aggregation stages', () => {
  it('$match + $group with accumulators + $sort', async () => {
    const out = await orders()
      .aggregate([
        { $match: { qty: { $gte: 1 } } },
        { $sort: { _id: 1 } },
        {
          $group: {
            _id: '$cust',
            n: { $sum: 1 },
            qty: { $sum: '$qty' },
            avgPrice: { $avg: '$price' },
            minPrice: { $min: '$price' },
            maxPrice: { $max: '$price' },
            items: { $push: '$item' },
            uniq: { $addToSet: '$item' },
            firstId: { $first: '$_id' },
            lastId: { $last: '$_id' },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(out.map((g) => g._id)).toEqual(['ann', 'bob', 'zed']);
    const ann = out[0] as any;
    expect(ann).toMatchObject({
      n: 3,
      qty: 8,
      avgPrice: 20,
      minPrice: 10,
      maxPrice: 30,
      items: ['pen', 'ink', 'pen'],
      firstId: 1,
      lastId: 4,
    });
    expect([...ann.uniq].sort()).toEqual(['ink', 'pen']);
    expect(out[1]).toMatchObject({ n: 2, qty: 5, avgPrice: 17.5, items: ['ink', 'pad'] });
  });

  it('$group with _id null and compound _id', async () => {
    const [total] = await orders()
      .aggregate([{ $group: { _id: null, revenue: { $sum: { $multiply: ['$qty', '$price'] } } } }])
      .toArray();
    // 20 + 30 + 100 + 30 + 20 + 15
    expect(total).toEqual({ _id: null, revenue: 215 });

    const pairs = await orders()
      .aggregate([
        { $group: { _id: { c: '$cust', i: '$item' }, q: { $sum: '$qty' } } },
        { $sort: { '_id.c': 1, '_id.i': 1 } },
      ])
      .toArray();
    expect(pairs).toEqual([
      { _id: { c: 'ann', i: 'ink' }, q: 5 },
      { _id: { c: 'ann', i: 'pen' }, q: 3 },
      { _id: { c: 'bob', i: 'ink' }, q: 1 },
      { _id: { c: 'bob', i: 'pad' }, q: 4 },
      { _id: { c: 'zed', i: 'pad' }, q: 3 },
    ]);
  });

  it('accumulators keep numeric types: $sum of ints is an int, $avg is a double', async () => {
    const [res] = await orders()
      .aggregate([
        { $group: { _id: null, s: { $sum: '$qty' }, a: { $avg: '$qty' }, n: { $sum: 1 } } },
        {
          $project: { _id: 0, s: 1, ts: { $type: '$s' }, ta: { $type: '$a' }, tn: { $type: '$n' } },
        },
      ])
      .toArray();
    expect(res).toEqual({ s: 16, ts: 'int', ta: 'double', tn: 'int' });
  });

  it('$sum ignores non-numeric values and $avg of nothing is null', async () => {
    const [res] = await orders()
      .aggregate([
        {
          $group: {
            _id: null,
            s: { $sum: '$item' },
            a: { $avg: '$missing' },
            m: { $max: '$missing' },
          },
        },
      ])
      .toArray();
    expect(res).toEqual({ _id: null, s: 0, a: null, m: null });
  });

  it('$group puts missing and null keys in the same null group', async () => {
    const out = await orders()
      .aggregate([{ $group: { _id: '$tags', n: { $sum: 1 } } }, { $match: { _id: null } }])
      .toArray();
    // _id 4 has tags: null, _id 5 has no tags field.
    expect(out).toEqual([{ _id: null, n: 2 }]);
  });

  it('$project with computed fields, $addFields, $skip and $limit', async () => {
    const out = await orders()
      .aggregate([
        { $sort: { _id: 1 } },
        { $skip: 1 },
        { $limit: 3 },
        {
          $project: {
            _id: 0,
            id: '$_id',
            total: { $multiply: ['$qty', '$price'] },
            label: { $concat: ['$cust', ':', { $toUpper: '$item' }] },
            big: { $cond: [{ $gte: ['$qty', 3] }, 'yes', 'no'] },
          },
        },
        { $addFields: { tagged: { $ifNull: ['$nothing', 'default'] } } },
      ])
      .toArray();
    expect(out).toEqual([
      { id: 2, total: 30, label: 'bob:INK', big: 'no', tagged: 'default' },
      { id: 3, total: 100, label: 'ann:INK', big: 'yes', tagged: 'default' },
      { id: 4, total: 30, label: 'ann:PEN', big: 'no', tagged: 'default' },
    ]);
  });

  it('$count and $sortByCount', async () => {
    expect(
      await orders()
        .aggregate([{ $match: { price: { $lt: 25 } } }, { $count: 'cheap' }])
        .toArray(),
    ).toEqual([{ cheap: 4 }]);
    const byItem = await orders()
      .aggregate([{ $sortByCount: '$item' }, { $sort: { count: -1, _id: 1 } }])
      .toArray();
    expect(byItem).toEqual([
      { _id: 'ink', count: 2 },
      { _id: 'pad', count: 2 },
      { _id: 'pen', count: 2 },
    ]);
    expect(
      await orders()
        .aggregate([{ $match: { qty: 999 } }, { $count: 'n' }])
        .toArray(),
    ).toEqual([]);
  });

  it('$lookup with localField/foreignField', async () => {
    const out = await orders()
      .aggregate([
        { $match: { _id: { $in: [1, 6] } } },
        { $sort: { _id: 1 } },
        { $lookup: { from: 'customers', localField: 'cust', foreignField: '_id', as: 'who' } },
        { $project: { _id: 1, who: 1 } },
      ])
      .toArray();
    expect(out).toEqual([
      { _id: 1, who: [{ _id: 'ann', name: 'Ann', city: 'Paris' }] },
      { _id: 6, who: [] },
    ]);
  });

  it('$lookup with let and a pipeline', async () => {
    const out = await customers()
      .aggregate([
        { $sort: { _id: 1 } },
        {
          $lookup: {
            from: 'orders',
            let: { cid: '$_id' },
            pipeline: [
              { $match: { $expr: { $eq: ['$cust', '$$cid'] } } },
              { $sort: { _id: 1 } },
              { $project: { _id: 0, item: 1, qty: 1 } },
            ],
            as: 'orders',
          },
        },
        { $project: { orders: 1, n: { $size: '$orders' } } },
      ])
      .toArray();
    expect(out).toEqual([
      {
        _id: 'ann',
        orders: [
          { item: 'pen', qty: 2 },
          { item: 'ink', qty: 5 },
          { item: 'pen', qty: 1 },
        ],
        n: 3,
      },
      {
        _id: 'bob',
        orders: [
          { item: 'ink', qty: 1 },
          { item: 'pad', qty: 4 },
        ],
        n: 2,
      },
      { _id: 'cy', orders: [], n: 0 },
    ]);
  });

  it('$unwind drops null, missing and empty arrays and unwinds scalars as one element', async () => {
    const out = await orders()
      .aggregate([{ $unwind: '$tags' }, { $sort: { _id: 1, tags: 1 } }, { $project: { tags: 1 } }])
      .toArray();
    expect(out).toEqual([
      { _id: 1, tags: 'a' },
      { _id: 1, tags: 'b' },
      { _id: 2, tags: 'b' },
      { _id: 6, tags: 'solo' },
    ]);
  });

  it('$unwind with preserveNullAndEmptyArrays and includeArrayIndex', async () => {
    const out = await orders()
      .aggregate([
        {
          $unwind: { path: '$tags', preserveNullAndEmptyArrays: true, includeArrayIndex: 'idx' },
        },
        { $sort: { _id: 1, idx: 1 } },
        { $project: { tags: 1, idx: 1 } },
      ])
      .toArray();
    expect(out).toEqual([
      { _id: 1, tags: 'a', idx: 0 },
      { _id: 1, tags: 'b', idx: 1 },
      { _id: 2, tags: 'b', idx: 0 },
      { _id: 3, idx: null },
      { _id: 4, tags: null, idx: null },
      { _id: 5, idx: null },
      { _id: 6, tags: 'solo', idx: null },
    ]);
  });

  it('$facet runs sub-pipelines over the same input', async () => {
    const [res] = await orders()
      .aggregate([
        {
          $facet: {
            byCust: [{ $group: { _id: '$cust', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
            top: [{ $sort: { price: -1, _id: 1 } }, { $limit: 2 }, { $project: { _id: 1 } }],
            total: [{ $count: 'n' }],
          },
        },
      ])
      .toArray();
    expect(res).toEqual({
      byCust: [
        { _id: 'ann', n: 3 },
        { _id: 'bob', n: 2 },
        { _id: 'zed', n: 1 },
      ],
      top: [{ _id: 2 }, { _id: 4 }],
      total: [{ n: 6 }],
    });
  });

  it('$replaceRoot and $match after $group', async () => {
    const out = await orders()
      .aggregate([
        { $group: { _id: '$item', q: { $sum: '$qty' } } },
        { $match: { q: { $gt: 3 } } },
        { $replaceRoot: { newRoot: { item: '$_id', q: '$q' } } },
        { $sort: { item: 1 } },
      ])
      .toArray();
    expect(out).toEqual([
      { item: 'ink', q: 6 },
      { item: 'pad', q: 7 },
    ]);
  });
});

describe('more stages', () => {
  it('$unionWith appends another collection', async () => {
    const out = await customers()
      .aggregate([
        { $project: { _id: 1 } },
        {
          $unionWith: {
            coll: 'orders',
            pipeline: [{ $match: { _id: { $lt: 3 } } }, { $project: { _id: 1 } }],
          },
        },
      ])
      .toArray();
    expect(out.map((d) => d._id).sort()).toEqual([1, 2, 'ann', 'bob', 'cy'].sort());
  });

  it('$bucket groups by boundaries', async () => {
    const out = await orders()
      .aggregate([
        {
          $bucket: {
            groupBy: '$price',
            boundaries: [0, 10, 25, 100],
            default: 'other',
            output: { count: { $sum: 1 }, ids: { $push: '$_id' } },
          },
        },
      ])
      .toArray();
    expect(out.map((b) => ({ ...b, ids: [...b.ids].sort() }))).toEqual([
      { _id: 0, count: 2, ids: [5, 6] },
      { _id: 10, count: 2, ids: [1, 3] },
      { _id: 25, count: 2, ids: [2, 4] },
    ]);
  });

  it('$sample on a small collection never repeats a document', async () => {
    const some = await orders()
      .aggregate([{ $sample: { size: 3 } }])
      .toArray();
    expect(some).toHaveLength(3);
    expect(new Set(some.map((d) => d._id)).size).toBe(3);
    // Asking for more than there are returns every document exactly once.
    const all = await orders()
      .aggregate([{ $sample: { size: 10 } }])
      .toArray();
    expect(all.map((d) => d._id).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('$out replaces the target collection with the pipeline result', async () => {
    await orders()
      .aggregate([{ $match: { cust: 'ann' } }, { $out: 'orders_out' }])
      .toArray();
    const out = ctx.db.collection('orders_out');
    expect((await out.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([1, 3, 4]);
    await orders()
      .aggregate([{ $match: { cust: 'bob' } }, { $out: 'orders_out' }])
      .toArray();
    expect((await out.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([2, 5]);
  });

  it('$merge upserts into another collection, merging or replacing matches', async () => {
    const target = ctx.db.collection<any>('cust_totals');
    await target.insertOne({ _id: 'ann', note: 'keep' });
    const totals = [{ $group: { _id: '$cust', qty: { $sum: '$qty' } } }];
    await orders()
      .aggregate([...totals, { $merge: { into: 'cust_totals' } }])
      .toArray();
    expect(await target.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'ann', note: 'keep', qty: 8 },
      { _id: 'bob', qty: 5 },
      { _id: 'zed', qty: 3 },
    ]);

    await orders()
      .aggregate([
        { $match: { cust: { $in: ['ann', 'bob'] } } },
        { $group: { _id: '$cust', qty: { $sum: 1 } } },
        { $merge: { into: 'cust_totals', whenMatched: 'replace', whenNotMatched: 'discard' } },
      ])
      .toArray();
    expect(await target.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'ann', qty: 3 },
      { _id: 'bob', qty: 2 },
      { _id: 'zed', qty: 3 },
    ]);
  });

  it('$$ROOT, $$REMOVE, $set/$unset stages, dotted $addFields and the $count accumulator', async () => {
    const out = await orders()
      .aggregate([
        { $match: { cust: 'bob' } },
        { $sort: { _id: 1 } },
        { $group: { _id: '$cust', docs: { $push: '$$ROOT' }, n: { $count: {} } } },
      ])
      .toArray();
    expect(out).toHaveLength(1);
    expect(out[0]?.n).toBe(2);
    expect(out[0]?.docs.map((d: { _id: number }) => d._id)).toEqual([2, 5]);
    expect(out[0]?.docs[0]).toEqual({
      _id: 2,
      cust: 'bob',
      item: 'ink',
      qty: 1,
      price: 30,
      tags: ['b'],
    });

    const shaped = await orders()
      .aggregate([
        { $match: { _id: { $in: [1, 2] } } },
        { $sort: { _id: 1 } },
        { $set: { 'meta.total': { $multiply: ['$qty', '$price'] }, 'meta.cust': '$cust' } },
        { $unset: ['tags', 'price'] },
        {
          $project: {
            item: 1,
            meta: 1,
            maybe: { $cond: [{ $gt: ['$qty', 1] }, 'many', '$$REMOVE'] },
          },
        },
      ])
      .toArray();
    expect(shaped).toEqual([
      { _id: 1, item: 'pen', meta: { total: 20, cust: 'ann' }, maybe: 'many' },
      { _id: 2, item: 'ink', meta: { total: 30, cust: 'bob' } },
    ]);
  });

  it('$lookup with an array localField matches any element', async () => {
    const teams = ctx.db.collection<any>('teams');
    await teams.insertMany([
      { _id: 't1', members: ['ann', 'cy', 'nobody'] },
      { _id: 't2', members: [] },
    ]);
    const out = await teams
      .aggregate([
        { $sort: { _id: 1 } },
        {
          $lookup: { from: 'customers', localField: 'members', foreignField: '_id', as: 'people' },
        },
        { $project: { names: '$people.name' } },
      ])
      .toArray();
    expect(out.map((t) => ({ _id: t._id, names: [...t.names].sort() }))).toEqual([
      { _id: 't1', names: ['Ann', 'Cy'] },
      { _id: 't2', names: [] },
    ]);
  });
});

describe('expression operators', () => {
  const exprs = () => ctx.db.collection<any>('exprs');

  beforeAll(async () => {
    await exprs().insertOne({
      _id: 1,
      a: 7,
      b: 2,
      s: 'Hello World',
      arr: [1, 2, 3, 4],
      n: null,
      str: '42',
      hex: '65a1b2c3d4e5f60718293a4b',
      d: new Date('2024-01-31T10:00:00Z'),
    });
  });

  const project = async (spec: object) => {
    const [res] = await exprs()
      .aggregate([{ $project: { _id: 0, ...spec } }])
      .toArray();
    return res;
  };

  it('arithmetic, comparison and conditional', async () => {
    expect(
      await project({
        sum: { $add: ['$a', '$b'] },
        sub: { $subtract: ['$a', '$b'] },
        div: { $divide: ['$a', '$b'] },
        mod: { $mod: ['$a', '$b'] },
        rnd: { $round: [1.23456, 2] },
        trunc: { $trunc: [-2.7, 0] },
        floor: { $floor: 2.7 },
        ceil: { $ceil: 2.1 },
        abs: { $abs: -4 },
        cmp: { $cmp: ['$a', '$b'] },
        both: { $and: [true, { $gt: ['$a', 1] }] },
        either: { $or: [false, { $lt: ['$a', 1] }] },
        neg: { $not: [{ $eq: ['$a', 7] }] },
        sw: {
          $switch: {
            branches: [
              // biome-ignore lint/suspicious/noThenProperty: MongoDB expression syntax
              { case: { $gt: ['$a', 10] }, then: 'big' },
              // biome-ignore lint/suspicious/noThenProperty: MongoDB expression syntax
              { case: { $gt: ['$a', 5] }, then: 'mid' },
            ],
            default: 'small',
          },
        },
        // biome-ignore lint/suspicious/noThenProperty: MongoDB expression syntax
        cond: { $cond: { if: { $eq: ['$n', null] }, then: 'null', else: 'set' } },
        ifNull: { $ifNull: ['$n', '$missing', 'dflt'] },
        letv: { $let: { vars: { t: { $multiply: ['$a', 2] } }, in: { $add: ['$$t', 1] } } },
      }),
    ).toEqual({
      sum: 9,
      sub: 5,
      div: 3.5,
      mod: 1,
      rnd: 1.23,
      trunc: -2,
      floor: 2,
      ceil: 3,
      abs: 4,
      cmp: 1,
      both: true,
      either: false,
      neg: false,
      sw: 'mid',
      cond: 'null',
      ifNull: 'dflt',
      letv: 15,
    });
  });

  it('array, string, object and conversion operators', async () => {
    const res = await project({
      inArr: { $in: [3, '$arr'] },
      filt: { $filter: { input: '$arr', as: 'x', cond: { $gt: ['$$x', 2] } } },
      mapped: { $map: { input: '$arr', as: 'x', in: { $multiply: ['$$x', 10] } } },
      red: { $reduce: { input: '$arr', initialValue: 0, in: { $add: ['$$value', '$$this'] } } },
      last: { $arrayElemAt: ['$arr', -1] },
      size: { $size: '$arr' },
      cat: { $concatArrays: ['$arr', [5]] },
      sliced: { $slice: ['$arr', 1, 2] },
      lower: { $toLower: '$s' },
      sub: { $substrCP: ['$s', 0, 5] },
      split: { $split: ['$s', ' '] },
      len: { $strLenCP: '$s' },
      matches: { $regexMatch: { input: '$s', regex: /world/i } },
      toInt: { $toInt: '$str' },
      toStr: { $toString: '$a' },
      merged: { $mergeObjects: [{ x: 1 }, { y: 2 }, { x: 3 }] },
      o2a: { $objectToArray: { p: 1 } },
      a2o: { $arrayToObject: { $literal: [['q', 2]] } },
    });
    expect(res).toEqual({
      inArr: true,
      filt: [3, 4],
      mapped: [10, 20, 30, 40],
      red: 10,
      last: 4,
      size: 4,
      cat: [1, 2, 3, 4, 5],
      sliced: [2, 3],
      lower: 'hello world',
      sub: 'Hello',
      split: ['Hello', 'World'],
      len: 11,
      matches: true,
      toInt: 42,
      toStr: '7',
      merged: { x: 3, y: 2 },
      o2a: [{ k: 'p', v: 1 }],
      a2o: { q: 2 },
    });
  });

  it('single-operand shorthand without an array: $trunc and $abs', async () => {
    expect(await project({ t: { $trunc: -2.7 }, a: { $abs: -3 } })).toEqual({ t: -2, a: 3 });
  });

  it('$toObjectId converts a hex string', async () => {
    const res = await project({ oid: { $toObjectId: '$hex' } });
    expect(res?.oid).toBeInstanceOf(ObjectId);
    expect(res?.oid.toHexString()).toBe('65a1b2c3d4e5f60718293a4b');
  });

  it('$dateAdd by month clamps to the last day of the month', async () => {
    expect(
      await project({ m: { $dateAdd: { startDate: '$d', unit: 'month', amount: 1 } } }),
    ).toEqual({ m: new Date('2024-02-29T10:00:00Z') });
  });

  it('$dateAdd, $dateDiff, $dateFromString and $dateToParts', async () => {
    expect(
      await project({
        plusWeek: { $dateAdd: { startDate: '$d', unit: 'week', amount: 1 } },
        plusHours: { $dateAdd: { startDate: '$d', unit: 'hour', amount: 20 } },
        days: {
          $dateDiff: { startDate: new Date('2024-01-01T00:00:00Z'), endDate: '$d', unit: 'day' },
        },
        parsed: { $dateFromString: { dateString: '2024-05-06T07:08:09Z' } },
        parts: { $dateToParts: { date: '$d' } },
      }),
    ).toEqual({
      plusWeek: new Date('2024-02-07T10:00:00Z'),
      plusHours: new Date('2024-02-01T06:00:00Z'),
      days: 30,
      parsed: new Date('2024-05-06T07:08:09Z'),
      parts: { year: 2024, month: 1, day: 31, hour: 10, minute: 0, second: 0, millisecond: 0 },
    });
  });
});

describe('date operators', () => {
  const d = new Date('2024-03-10T15:45:30.123Z'); // a Sunday; US DST starts that day at 07:00Z
  const events = () => ctx.db.collection<any>('events');

  beforeAll(async () => {
    await events().insertMany([
      { _id: 1, at: d },
      { _id: 2, at: new Date('2024-03-10T23:59:59.999Z') },
      { _id: 3, at: new Date('2024-03-11T00:00:00.000Z') },
    ]);
  });

  it('$year/$month/$dayOfMonth/$hour/$dayOfWeek, with and without timezone', async () => {
    const [res] = await events()
      .aggregate([
        { $match: { _id: 1 } },
        {
          $project: {
            _id: 0,
            y: { $year: '$at' },
            m: { $month: '$at' },
            dom: { $dayOfMonth: '$at' },
            h: { $hour: '$at' },
            min: { $minute: '$at' },
            dow: { $dayOfWeek: '$at' },
            tokyoHour: { $hour: { date: '$at', timezone: 'Asia/Tokyo' } },
            tokyoDay: { $dayOfMonth: { date: '$at', timezone: 'Asia/Tokyo' } },
            nyHour: { $hour: { date: '$at', timezone: 'America/New_York' } },
          },
        },
      ])
      .toArray();
    expect(res).toEqual({
      y: 2024,
      m: 3,
      dom: 10,
      h: 15,
      min: 45,
      dow: 1,
      tokyoHour: 0,
      tokyoDay: 11,
      nyHour: 11,
    });
  });

  it('$dateToString with formats and timezones', async () => {
    const [res] = await events()
      .aggregate([
        { $match: { _id: 1 } },
        {
          $project: {
            _id: 0,
            day: { $dateToString: { format: '%Y-%m-%d', date: '$at' } },
            full: { $dateToString: { date: '$at' } },
            tokyo: {
              $dateToString: { format: '%Y-%m-%d %H:%M', date: '$at', timezone: 'Asia/Tokyo' },
            },
            ny: {
              $dateToString: {
                format: '%Y-%m-%d %H:%M:%S',
                date: '$at',
                timezone: 'America/New_York',
              },
            },
            offset: { $dateToString: { format: '%H:%M', date: '$at', timezone: '+05:30' } },
          },
        },
      ])
      .toArray();
    expect(res).toEqual({
      day: '2024-03-10',
      full: '2024-03-10T15:45:30.123Z',
      tokyo: '2024-03-11 00:45',
      ny: '2024-03-10 11:45:30',
      offset: '21:15',
    });
  });

  it('$dateTrunc by unit, binSize and timezone', async () => {
    const [res] = await events()
      .aggregate([
        { $match: { _id: 1 } },
        {
          $project: {
            _id: 0,
            day: { $dateTrunc: { date: '$at', unit: 'day' } },
            month: { $dateTrunc: { date: '$at', unit: 'month' } },
            sixHours: { $dateTrunc: { date: '$at', unit: 'hour', binSize: 6 } },
            tokyoDay: { $dateTrunc: { date: '$at', unit: 'day', timezone: 'Asia/Tokyo' } },
          },
        },
      ])
      .toArray();
    expect(res).toEqual({
      day: new Date('2024-03-10T00:00:00Z'),
      month: new Date('2024-03-01T00:00:00Z'),
      sixHours: new Date('2024-03-10T12:00:00Z'),
      tokyoDay: new Date('2024-03-10T15:00:00Z'),
    });
  });

  it('groups by calendar day in a timezone', async () => {
    const out = await events()
      .aggregate([
        {
          $group: {
            _id: { $dateToString: { format: '%Y-%m-%d', date: '$at', timezone: 'Asia/Tokyo' } },
            n: { $sum: 1 },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(out).toEqual([{ _id: '2024-03-11', n: 3 }]);
    const utc = await events()
      .aggregate([
        { $group: { _id: { $dateTrunc: { date: '$at', unit: 'day' } }, n: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(utc).toEqual([
      { _id: new Date('2024-03-10T00:00:00Z'), n: 2 },
      { _id: new Date('2024-03-11T00:00:00Z'), n: 1 },
    ]);
  });
});

describe('counting and distinct', () => {
  it('countDocuments with filter, skip and limit', async () => {
    expect(await orders().countDocuments()).toBe(6);
    expect(await orders().countDocuments({ cust: 'ann' })).toBe(3);
    expect(await orders().countDocuments({ cust: 'nobody' })).toBe(0);
    expect(await orders().countDocuments({}, { skip: 2, limit: 3 })).toBe(3);
    expect(await orders().countDocuments({}, { skip: 5 })).toBe(1);
  });

  it('estimatedDocumentCount counts the collection', async () => {
    expect(await orders().estimatedDocumentCount()).toBe(6);
    expect(await ctx.db.collection('never_created').estimatedDocumentCount()).toBe(0);
  });

  it('distinct returns unique values, flattening arrays', async () => {
    expect((await orders().distinct('cust')).sort()).toEqual(['ann', 'bob', 'zed']);
    expect((await orders().distinct('item', { cust: 'ann' })).sort()).toEqual(['ink', 'pen']);
    // Array elements are flattened; null is a distinct value of its own.
    const tags = await orders().distinct('tags');
    expect(tags.filter((t) => typeof t === 'string').sort()).toEqual(['a', 'b', 'solo']);
    expect(tags).toContain(null);
    expect((await customers().distinct('city', { _id: { $ne: 'cy' } })).sort()).toEqual([
      'Lyon',
      'Paris',
    ]);
    expect(await orders().distinct('nope')).toEqual([]);
    const nested = ctx.db.collection<any>('distinct_nested');
    await nested.insertMany([
      { items: [{ k: 'x' }, { k: 'y' }] },
      { items: [{ k: 'y' }, { k: 'z' }] },
      { items: { k: 'w' } },
    ]);
    expect((await nested.distinct('items.k')).sort()).toEqual(['w', 'x', 'y', 'z']);
  });
});
