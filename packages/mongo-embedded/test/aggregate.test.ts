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
  });
});
