import { beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('geo');

const places = () => ctx.db.collection<any>('places');
const center = [2.3522, 48.8566]; // Paris, Hôtel de Ville area

beforeAll(async () => {
  await places().createIndex({ loc: '2dsphere' });
  await places().insertMany([
    { _id: 'lyon', loc: { type: 'Point', coordinates: [4.8357, 45.764] } },
    { _id: 'versailles', loc: { type: 'Point', coordinates: [2.1204, 48.8049] } },
    { _id: 'center', loc: { type: 'Point', coordinates: center } },
    { _id: 'eiffel', loc: { type: 'Point', coordinates: [2.2945, 48.8584] } },
  ]);
});

describe('2dsphere queries', () => {
  it('$near returns points within $maxDistance, nearest first', async () => {
    const out = await places()
      .find({
        loc: {
          $near: { $geometry: { type: 'Point', coordinates: center }, $maxDistance: 20_000 },
        },
      })
      .toArray();
    expect(out.map((d) => d._id)).toEqual(['center', 'eiffel', 'versailles']);
  });

  it('$geoWithin $centerSphere selects points inside a radius', async () => {
    const tenKmInRadians = 10 / 6378.1;
    const out = await places()
      .find({ loc: { $geoWithin: { $centerSphere: [center, tenKmInRadians] } } })
      .toArray();
    expect(out.map((d) => d._id).sort()).toEqual(['center', 'eiffel']);
  });

  it('$geoWithin a polygon', async () => {
    const box = {
      type: 'Polygon',
      coordinates: [
        [
          [2.0, 48.7],
          [2.5, 48.7],
          [2.5, 49.0],
          [2.0, 49.0],
          [2.0, 48.7],
        ],
      ],
    };
    const out = await places()
      .find({ loc: { $geoWithin: { $geometry: box } } })
      .toArray();
    expect(out.map((d) => d._id).sort()).toEqual(['center', 'eiffel', 'versailles']);
  });

  it('$geoNear adds the distance in meters', async () => {
    const out = await places()
      .aggregate([
        {
          $geoNear: {
            near: { type: 'Point', coordinates: center },
            distanceField: 'dist',
            spherical: true,
          },
        },
        { $project: { dist: 1 } },
      ])
      .toArray();
    expect(out.map((d) => d._id)).toEqual(['center', 'eiffel', 'versailles', 'lyon']);
    expect(out[0]?.dist).toBe(0);
    expect(out[1]?.dist).toBeGreaterThan(4_000);
    expect(out[1]?.dist).toBeLessThan(4_500);
    expect(out[3]?.dist).toBeGreaterThan(380_000);
    expect(out[3]?.dist).toBeLessThan(400_000);
  });
});

// ---------------------------------------------------------------------------------------------
// More geo semantics. Everything below talks to the server except the geoKeyError unit tests.

const PARIS = [2.3522, 48.8566];
const LONDON = [-0.1276, 51.5072];
const NEW_YORK = [-74.006, 40.7128];
const LOS_ANGELES = [-118.2437, 34.0522];
const SYDNEY = [151.2093, -33.8688];
const MELBOURNE = [144.9631, -37.8136];
const point = (coordinates: number[]) => ({ type: 'Point', coordinates });

const cities = () => ctx.db.collection<any>('cities');
const legacy = () => ctx.db.collection<any>('legacy_points');
const plain = () => ctx.db.collection<any>('unindexed');

beforeAll(async () => {
  await cities().createIndex({ loc: '2dsphere' });
  await cities().insertMany([
    { _id: 'paris', country: 'FR', loc: point(PARIS) },
    { _id: 'london', country: 'UK', loc: point(LONDON) },
    { _id: 'new-york', country: 'US', loc: point(NEW_YORK) },
    { _id: 'los-angeles', country: 'US', loc: point(LOS_ANGELES) },
    { _id: 'sydney', country: 'AU', loc: point(SYDNEY) },
    { _id: 'melbourne', country: 'AU', loc: point(MELBOURNE) },
  ]);
  await legacy().createIndex({ pos: '2d' });
  await legacy().insertMany([
    { _id: 'origin', pos: [0, 0] },
    { _id: 'diagonal', pos: [1, 1] },
    { _id: 'east', pos: [3, 0] },
    { _id: 'south', pos: [0, -2] },
  ]);
  await plain().insertMany([
    { _id: 'geojson', loc: point([2.35, 48.85]) },
    { _id: 'pair', loc: [2.34, 48.86] },
    { _id: 'object-pair', loc: { lng: 2.33, lat: 48.87 } },
    { _id: 'lyon', loc: point([4.8357, 45.764]) },
    { _id: 'no-location' },
    { _id: 'not-a-point', loc: 'somewhere' },
  ]);
});

const ids = (docs: Array<{ _id?: unknown }>) => docs.map((doc) => doc._id);

async function distanceKm(from: number[], toId: string): Promise<number> {
  const [result] = await cities()
    .aggregate([
      {
        $geoNear: {
          near: point(from),
          distanceField: 'meters',
          spherical: true,
          query: { _id: toId },
        },
      },
    ])
    .toArray();
  return (result?.meters as number) / 1000;
}

describe('distances on the sphere', () => {
  // Great-circle distances between city centres (mean Earth radius), the usual references.
  it.each([
    ['Paris', 'London', PARIS, 'london', 343.5],
    ['New York', 'Los Angeles', NEW_YORK, 'los-angeles', 3936],
    ['Sydney', 'Melbourne', SYDNEY, 'melbourne', 713.4],
  ] as const)(
    '%s to %s is within half a percent of the reference',
    async (_from, _to, from, to, km) => {
      const measured = await distanceKm([...from], to);
      expect(Math.abs(measured / km - 1)).toBeLessThan(0.005);
    },
  );

  it('is symmetric and zero at the point itself', async () => {
    expect(await distanceKm(PARIS, 'paris')).toBe(0);
    const there = await distanceKm(PARIS, 'london');
    const back = await distanceKm(LONDON, 'paris');
    expect(Math.abs(there - back)).toBeLessThan(1e-6);
  });
});

describe('$near and $nearSphere', () => {
  const nearParis = (extra: object = {}) => ({
    $near: { $geometry: point(PARIS), ...extra },
  });

  it('returns every document with a location, nearest first', async () => {
    const out = await cities().find({ loc: nearParis() }).toArray();
    expect(ids(out)).toEqual(['paris', 'london', 'new-york', 'los-angeles', 'melbourne', 'sydney']);
  });

  it('$minDistance and $maxDistance (meters) cut an annulus', async () => {
    const out = await cities()
      .find({ loc: nearParis({ $minDistance: 100_000, $maxDistance: 6_000_000 }) })
      .toArray();
    expect(ids(out)).toEqual(['london', 'new-york']);
  });

  it('combines with other conditions, limit and skip', async () => {
    const out = await cities()
      .find({ country: { $in: ['US', 'AU'] }, loc: nearParis() })
      .skip(1)
      .limit(2)
      .toArray();
    expect(ids(out)).toEqual(['los-angeles', 'melbourne']);
  });

  it('an explicit sort overrides the distance order', async () => {
    const out = await cities()
      .find({ loc: nearParis({ $maxDistance: 6_000_000 }) })
      .sort({ _id: -1 })
      .toArray();
    expect(ids(out)).toEqual(['paris', 'new-york', 'london']);
  });

  it('$nearSphere takes a GeoJSON point (meters) or a legacy pair (radians)', async () => {
    const geojson = await cities()
      .find({ loc: { $nearSphere: { $geometry: point(SYDNEY), $maxDistance: 1_000_000 } } })
      .toArray();
    expect(ids(geojson)).toEqual(['sydney', 'melbourne']);
    const radians = await cities()
      .find({ loc: { $nearSphere: SYDNEY, $maxDistance: 1000 / 6378.1 } })
      .toArray();
    expect(ids(radians)).toEqual(['sydney', 'melbourne']);
  });

  it('a legacy $near on a 2d index uses flat distances', async () => {
    const out = await legacy()
      .find({ pos: { $near: [0, 0], $maxDistance: 2.5 } })
      .toArray();
    expect(ids(out)).toEqual(['origin', 'diagonal', 'south']);
  });

  it('needs a geo index: NoQueryExecutionPlans (291) without one', async () => {
    const error = await rejectionOf(plain().find({ loc: nearParis() }).toArray());
    expect(error.code).toBe(291);
    expect(error.message).toMatch(/unable to find index for \$geoNear query/);
    // A legacy $near needs a 2d index; a 2dsphere one does not answer it.
    const legacyNear = await rejectionOf(
      cities()
        .find({ loc: { $near: PARIS } })
        .toArray(),
    );
    expect(legacyNear.code).toBe(291);
  });

  it('must be at the top level of the filter', async () => {
    const error = await rejectionOf(
      cities()
        .find({ $or: [{ loc: nearParis() }, { country: 'FR' }] })
        .toArray(),
    );
    expect(error.code).toBe(2);
    expect(error.message).toMatch(/geoNear must be top-level expr/);
  });

  it('is refused by countDocuments (an aggregation $match)', async () => {
    const error = await rejectionOf(cities().countDocuments({ loc: nearParis() }));
    expect(error.code).toBe(2);
    expect(error.message).toMatch(
      /\$geoNear, \$near, and \$nearSphere are not allowed in this context/,
    );
  });

  it('rejects invalid points and distances with BadValue', async () => {
    const outOfBounds = await rejectionOf(
      cities()
        .find({ loc: { $near: { $geometry: point([200, 10]) } } })
        .toArray(),
    );
    expect(outOfBounds.code).toBe(2);
    expect(outOfBounds.message).toMatch(/longitude\/latitude is out of bounds/i);
    const negative = await rejectionOf(
      cities()
        .find({ loc: nearParis({ $maxDistance: -1 }) })
        .toArray(),
    );
    expect(negative.code).toBe(2);
    expect(negative.message).toMatch(/\$maxDistance must be non-negative/);
    const missing = await rejectionOf(
      cities()
        .find({ loc: { $near: {} } })
        .toArray(),
    );
    expect(missing.code).toBe(2);
    expect(missing.message).toMatch(/\$geometry is required for geo near query/);
  });
});

describe('$geoNear', () => {
  it('applies query, min/max distance, multiplier and includeLocs', async () => {
    const out = await cities()
      .aggregate([
        {
          $geoNear: {
            near: point(PARIS),
            distanceField: 'km',
            distanceMultiplier: 0.001,
            minDistance: 1,
            maxDistance: 10_000_000,
            query: { country: { $ne: 'AU' } },
            includeLocs: 'where',
            spherical: true,
          },
        },
        { $project: { km: 1, where: 1 } },
      ])
      .toArray();
    expect(ids(out)).toEqual(['london', 'new-york', 'los-angeles']);
    expect(out[0]?.km).toBeGreaterThan(340);
    expect(out[0]?.km).toBeLessThan(347);
    expect(out[0]?.where).toEqual(point(LONDON));
  });

  it('reports radians for a legacy point with spherical: true', async () => {
    const [first] = await cities()
      .aggregate([
        {
          $geoNear: { near: PARIS, distanceField: 'd', spherical: true, query: { _id: 'london' } },
        },
      ])
      .toArray();
    expect(first?.d * 6378.1).toBeGreaterThan(340);
    expect(first?.d * 6378.1).toBeLessThan(347);
  });

  it('uses flat distances on a 2d index', async () => {
    const out = await legacy()
      .aggregate([{ $geoNear: { near: [0, 0], distanceField: 'd' } }])
      .toArray();
    expect(ids(out)).toEqual(['origin', 'diagonal', 'south', 'east']);
    expect(out[1]?.d).toBeCloseTo(Math.SQRT2, 6);
  });

  it('needs `key` when the collection has several geo indexes', async () => {
    const twice = ctx.db.collection<any>('two_geo_indexes');
    await twice.createIndex({ home: '2dsphere' });
    await twice.createIndex({ work: '2dsphere' });
    await twice.insertOne({ _id: 1, home: point(PARIS), work: point(LONDON) });
    const ambiguous = await rejectionOf(
      twice.aggregate([{ $geoNear: { near: point(PARIS), distanceField: 'd' } }]).toArray(),
    );
    expect(ambiguous.code).toBe(27);
    const [viaWork] = await twice
      .aggregate([{ $geoNear: { near: point(PARIS), distanceField: 'd', key: 'work' } }])
      .toArray();
    expect(viaWork?.d / 1000).toBeGreaterThan(340);
  });

  it('needs a geo index and must be the first stage', async () => {
    const noIndex = await rejectionOf(
      plain()
        .aggregate([{ $geoNear: { near: point(PARIS), distanceField: 'd' } }])
        .toArray(),
    );
    expect(noIndex.code).toBe(27);
    const notFirst = await rejectionOf(
      cities()
        .aggregate([{ $match: {} }, { $geoNear: { near: point(PARIS), distanceField: 'd' } }])
        .toArray(),
    );
    expect(notFirst.code).toBe(40602);
  });
});

describe('$geoWithin', () => {
  const square = (west: number, south: number, east: number, north: number) => [
    [west, south],
    [east, south],
    [east, north],
    [west, north],
    [west, south],
  ];

  it('$centerSphere works without an index, on GeoJSON and legacy pairs', async () => {
    const fiveKm = 5 / 6378.1;
    const out = await plain()
      .find({ loc: { $geoWithin: { $centerSphere: [[2.34, 48.86], fiveKm] } } })
      .toArray();
    expect(ids(out).sort()).toEqual(['geojson', 'object-pair', 'pair']);
    const none = await plain()
      .find({ loc: { $geoWithin: { $centerSphere: [[2.34, 48.86], 0.1 / 6378.1] } } })
      .toArray();
    expect(ids(none)).toEqual(['pair']);
  });

  it('counts with countDocuments, which allows $geoWithin', async () => {
    expect(
      await cities().countDocuments({
        loc: { $geoWithin: { $centerSphere: [PARIS, 500 / 6378.1] } },
      }),
    ).toBe(2);
  });

  it('polygons have geodesic edges', async () => {
    const edges = ctx.db.collection<any>('high_latitudes');
    await edges.insertMany([
      { _id: 'below-the-arc', loc: point([0, 55]) },
      { _id: 'under-the-bulge', loc: point([0, 70]) },
    ]);
    // The great circle from (-60, 60) to (60, 60) passes lat ~73.9 at lng 0; from (-60, 50) to
    // (60, 50) lat ~67.2: in between lies the polygon, not where a flat map would put it.
    const out = await edges
      .find({
        loc: {
          $geoWithin: { $geometry: { type: 'Polygon', coordinates: [square(-60, 50, 60, 60)] } },
        },
      })
      .toArray();
    expect(ids(out)).toEqual(['under-the-bulge']);
  });

  it('polygons with holes, across the antimeridian, and MultiPolygons', async () => {
    const holed = {
      type: 'Polygon',
      coordinates: [square(2.0, 48.0, 3.0, 49.0), square(2.345, 48.845, 2.355, 48.855)],
    };
    const out = await plain()
      .find({ loc: { $geoWithin: { $geometry: holed } } })
      .toArray();
    expect(ids(out).sort()).toEqual(['object-pair', 'pair']);

    const fiji = ctx.db.collection<any>('antimeridian');
    await fiji.insertMany([
      { _id: 'east', loc: point([179.5, -16]) },
      { _id: 'west', loc: point([-179.5, -16]) },
      { _id: 'far', loc: point([0, -16]) },
    ]);
    const across = await fiji
      .find({
        loc: {
          $geoWithin: {
            $geometry: { type: 'Polygon', coordinates: [square(179, -17, -179, -15)] },
          },
        },
      })
      .toArray();
    expect(ids(across).sort()).toEqual(['east', 'west']);

    const multi = {
      type: 'MultiPolygon',
      coordinates: [[square(2.0, 48.0, 3.0, 49.0)], [square(4.0, 45.0, 5.0, 46.0)]],
    };
    const both = await plain()
      .find({ loc: { $geoWithin: { $geometry: multi } } })
      .toArray();
    expect(ids(both).sort()).toEqual(['geojson', 'lyon', 'object-pair', 'pair']);
  });

  it('legacy $box, $center and $polygon', async () => {
    const box = await legacy()
      .find({
        pos: {
          $geoWithin: {
            $box: [
              [-1, -1],
              [1.5, 1.5],
            ],
          },
        },
      })
      .toArray();
    expect(ids(box).sort()).toEqual(['diagonal', 'origin']);
    const circle = await legacy()
      .find({ pos: { $geoWithin: { $center: [[0, 0], 2.2] } } })
      .toArray();
    expect(ids(circle).sort()).toEqual(['diagonal', 'origin', 'south']);
    const triangle = await legacy()
      .find({
        pos: {
          $geoWithin: {
            $polygon: [
              [-1, -1],
              [4, -1],
              [4, 2],
            ],
          },
        },
      })
      .toArray();
    expect(ids(triangle).sort()).toEqual(['east']);
  });

  const within = (geometry: object) => ({ loc: { $geoWithin: { $geometry: geometry } } });
  const polygon = (...ring: number[][]) => within({ type: 'Polygon', coordinates: [ring] });
  it.each([
    [
      'a centre out of bounds',
      { loc: { $geoWithin: { $centerSphere: [[200, 0], 0.1] } } },
      /longitude\/latitude is out of bounds/i,
    ],
    ['an open ring', polygon([0, 0], [1, 0], [1, 1], [0, 1]), /Loop is not closed/],
    ['a self-crossing ring', polygon([0, 0], [1, 1], [1, 0], [0, 1], [0, 0]), /Loop is not valid/],
    [
      'a point to search within',
      within({ type: 'Point', coordinates: [0, 0] }),
      /\$within not supported with provided geometry/,
    ],
  ])('rejects %s with BadValue', async (_, filter, message) => {
    const error = await rejectionOf(plain().find(filter).toArray());
    expect(error.code).toBe(2);
    expect(error.message).toMatch(message);
  });
});

// Engine-only: the check MongoDB makes when a document enters a 2dsphere index.
describe('geoKeyError (unit)', () => {
  const spec = { key: { loc: '2dsphere', kind: 1 } };

  it('accepts valid geometry and documents without a location', async () => {
    const { geoKeyError } = await import('../src/geo.ts');
    expect(geoKeyError({ _id: 1, loc: point(PARIS) }, spec)).toBeUndefined();
    expect(geoKeyError({ _id: 1, loc: PARIS }, spec)).toBeUndefined();
    expect(geoKeyError({ _id: 1 }, spec)).toBeUndefined();
    expect(geoKeyError({ _id: 1, loc: null }, spec)).toBeUndefined();
    expect(
      geoKeyError(
        {
          _id: 1,
          loc: {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [1, 0],
                [1, 1],
                [0, 0],
              ],
            ],
          },
        },
        spec,
      ),
    ).toBeUndefined();
  });

  it('rejects invalid locations with 16755', async () => {
    const { geoKeyError } = await import('../src/geo.ts');
    for (const loc of [point([200, 0]), [200, 0], 'Paris', { type: 'Point' }, { type: 'Circle' }]) {
      const error = geoKeyError({ _id: 1, loc }, spec);
      expect(error?.code).toBe(16755);
      expect(error?.message).toMatch(/^Can't extract geo keys: /);
    }
    expect(geoKeyError({ _id: 1, loc: point([200, 0]) }, spec)?.message).toMatch(
      /longitude\/latitude is out of bounds, lng: 200 lat: 0/,
    );
  });
});

describe('documents a 2dsphere index cannot hold', () => {
  const geoCtx = useTestMongo('geo_keys');

  it('an insert or update with an invalid point is refused with 16755 and nothing is written', async () => {
    const places = geoCtx.db.collection<{ _id: number; loc: unknown }>('places');
    await places.createIndex({ loc: '2dsphere' });
    await places.insertOne({ _id: 1, loc: { type: 'Point', coordinates: [2.35, 48.85] } });
    const insert = await places
      .insertOne({ _id: 2, loc: { type: 'Point', coordinates: [200, 95] } })
      .catch((e) => e);
    expect(insert.code).toBe(16755);
    const update = await places
      .updateOne({ _id: 1 }, { $set: { loc: { type: 'Point', coordinates: ['x', 1] } } })
      .catch((e) => e);
    expect(update.code).toBe(16755);
    expect(await places.find().toArray()).toEqual([
      { _id: 1, loc: { type: 'Point', coordinates: [2.35, 48.85] } },
    ]);
  });

  it('building a 2dsphere index over an invalid point fails', async () => {
    const spots = geoCtx.db.collection<{ _id: number; loc: unknown }>('spots');
    await spots.insertOne({ _id: 1, loc: { type: 'Point', coordinates: [500, 0] } });
    const error = await spots.createIndex({ loc: '2dsphere' }).catch((e) => e);
    expect(error.code).toBe(16755);
  });
});
