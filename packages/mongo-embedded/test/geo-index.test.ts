import { describe, expect, it } from 'vitest';
import { useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('geo_index');
const EARTH_RADIUS_METERS = 6378100;

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Independent great-circle distance, to check the server's answers. */
function distanceMeters([lng1, lat1]: [number, number], [lng2, lat2]: [number, number]): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(a)));
}

interface Place {
  _id: number;
  loc: { type: 'Point'; coordinates: [number, number] };
}

/**
 * Points clustered around awkward spots (the antimeridian, high latitudes, cell edges) plus some
 * spread worldwide; radius queries must find exactly the points within the radius, however the
 * server narrows its candidates.
 */
describe('radius queries on a 2dsphere index find exactly the points within the radius', () => {
  const next = random(11);
  // [lng, lat, how far points spread in longitude, in latitude] (degrees).
  const clusters: Array<[number, number, number, number]> = [
    [179.9, 10, 3, 1.5],
    [-179.95, -20, 3, 1.5],
    [2.35, 48.85, 3, 1.5],
    [0, 0, 3, 1.5],
    // At high latitude a degree of longitude is short: points spread far east and west.
    [25, 80, 140, 12],
    // Where the cap around [25, 80] with a 900 km radius reaches furthest east (about 54°).
    [77, 84, 8, 1.5],
    [-70, -60, 3, 1.5],
  ];
  const centers = clusters.map(([lng, lat]) => [lng, lat] as [number, number]);
  const places: Place[] = Array.from({ length: 1500 }, (_, i) => {
    const [lng, lat, lngSpread, latSpread] =
      i % 5 === 0
        ? [next() * 360 - 180, next() * 170 - 85, 0, 0]
        : (clusters[i % clusters.length] as [number, number, number, number]);
    const pointLng = ((lng + (next() - 0.5) * lngSpread + 540) % 360) - 180;
    const pointLat = Math.max(-89, Math.min(89, lat + (next() - 0.5) * latSpread));
    return { _id: i, loc: { type: 'Point', coordinates: [pointLng, pointLat] } };
  });
  const collection = () => ctx.db.collection<Place>('places');

  it('setup', async () => {
    await collection().createIndex({ loc: '2dsphere' });
    await collection().insertMany(places);
  });

  const radii = [500, 9_000, 30_000, 150_000, 900_000];
  for (const [lng, lat] of centers) {
    for (const radius of radii) {
      it(`around [${lng}, ${lat}] within ${radius} m`, async () => {
        const expected = places
          .map((place) => ({
            id: place._id,
            distance: distanceMeters([lng, lat], place.loc.coordinates),
          }))
          .filter((entry) => entry.distance <= radius);
        const near = await collection()
          .find({
            loc: {
              $near: {
                $geometry: { type: 'Point', coordinates: [lng, lat] },
                $maxDistance: radius,
              },
            },
          })
          .toArray();
        // Points a hair from the boundary may differ by rounding: compare away from it.
        const clearOfBoundary = (ids: number[]) =>
          ids
            .filter((id) => {
              const place = places[id] as Place;
              return Math.abs(distanceMeters([lng, lat], place.loc.coordinates) - radius) > 1;
            })
            .sort();
        const wanted = clearOfBoundary(expected.map((entry) => entry.id));
        expect(clearOfBoundary(near.map((doc) => doc._id))).toEqual(wanted);
        const within = await collection()
          .find({
            loc: { $geoWithin: { $centerSphere: [[lng, lat], radius / EARTH_RADIUS_METERS] } },
          })
          .toArray();
        expect(clearOfBoundary(within.map((doc) => doc._id))).toEqual(wanted);
      });
    }
  }

  it('writes move points between cells', async () => {
    await collection().updateOne(
      { _id: 0 },
      { $set: { loc: { type: 'Point', coordinates: [100.5, 13.75] } } },
    );
    const found = await collection()
      .find({
        loc: {
          $near: { $geometry: { type: 'Point', coordinates: [100.5, 13.75] }, $maxDistance: 10 },
        },
      })
      .toArray();
    expect(found.map((doc) => doc._id)).toEqual([0]);
    await collection().deleteOne({ _id: 0 });
    const gone = await collection()
      .find({
        loc: {
          $near: { $geometry: { type: 'Point', coordinates: [100.5, 13.75] }, $maxDistance: 10 },
        },
      })
      .toArray();
    expect(gone).toEqual([]);
  });
});
