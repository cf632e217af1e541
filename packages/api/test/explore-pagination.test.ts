import { describe, expect, it } from 'vitest';
import { DAY, storeEvents } from './events-fixtures.ts';
import { useApi } from './harness.ts';

const api = useApi('spot_api_explore_pages');

const ORIGIN = { lat: 45, lng: 5 };
/** Degrees of latitude per km on MongoDB's 6378.1 km sphere. */
const KM = 180 / Math.PI / 6378.1;
const PAGE_SIZE = 7;

interface Page {
  items: Array<{ id: string; startDate: Date; distanceKm?: number }>;
  nextCursor: string | null;
}

/**
 * Reads every page; before each next page, `insertBetween` may add events. Answers every item
 * read, in order.
 */
async function readAllPages(
  filters: Record<string, unknown>,
  insertBetween: (lastItem: Page['items'][number]) => Promise<void>,
): Promise<Page['items']> {
  const items: Page['items'] = [];
  let cursor: string | undefined;
  do {
    const page = (await api.agent().query('explore.list', {
      ...filters,
      cursor,
      limit: PAGE_SIZE,
    })) as Page;
    expect(page.items.length).toBeLessThanOrEqual(PAGE_SIZE);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    const last = page.items.at(-1);
    if (cursor && last) await insertBetween(last);
  } while (cursor);
  return items;
}

function expectNoDuplicates(ids: string[]): void {
  expect(new Set(ids).size).toBe(ids.length);
}

describe('cursor pagination stays exact while events are inserted between pages', () => {
  it('soonest first: every event once, in order; inserts behind the cursor wait, ahead appear', async () => {
    const city = 'Soonestville';
    const base = Date.now() + DAY;
    // Three events share each start time, so the id breaks ties.
    const seeded = await storeEvents(
      Array.from({ length: 60 }, (_, index) => ({
        city,
        startDate: new Date(base + Math.floor(index / 3) * DAY),
      })),
    );
    const behind: string[] = [];
    const ahead: string[] = [];
    const items = await readAllPages({ city }, async (last) => {
      const [early, sameTimeLaterId, farLater] = await storeEvents([
        { city, startDate: new Date(last.startDate.getTime() - DAY / 2) },
        // Same start as the page's last item, and a newer (greater) id: it sorts after it.
        { city, startDate: last.startDate },
        { city, startDate: new Date(base + 100 * DAY) },
      ]);
      behind.push(early as string);
      ahead.push(sameTimeLaterId as string, farLater as string);
    });
    const ids = items.map((item) => item.id);
    expectNoDuplicates(ids);
    expect(ids).toEqual(expect.arrayContaining([...seeded, ...ahead]));
    for (const id of behind) expect(ids).not.toContain(id);
    expect(ids).toHaveLength(seeded.length + ahead.length);
    const starts = items.map((item) => item.startDate.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('nearest first: the same holds with distance ties', async () => {
    const city = 'Nearville';
    const startDate = new Date(Date.now() + 2 * DAY);
    // Three events at each distance: 1 km, 2 km, … north of the origin.
    const seeded = await storeEvents(
      Array.from({ length: 45 }, (_, index) => ({
        city,
        startDate,
        lat: ORIGIN.lat + (Math.floor(index / 3) + 1) * KM,
        lng: ORIGIN.lng,
      })),
    );
    const behind: string[] = [];
    const ahead: string[] = [];
    const items = await readAllPages({ city, ...ORIGIN, radiusKm: 100 }, async (last) => {
      const distance = last.distanceKm as number;
      const [closer, fartherAway] = await storeEvents([
        { city, startDate, lat: ORIGIN.lat + (distance / 2) * KM, lng: ORIGIN.lng },
        { city, startDate, lat: ORIGIN.lat + 60 * KM, lng: ORIGIN.lng },
      ]);
      behind.push(closer as string);
      ahead.push(fartherAway as string);
    });
    const ids = items.map((item) => item.id);
    expectNoDuplicates(ids);
    expect(ids).toEqual(expect.arrayContaining([...seeded, ...ahead]));
    for (const id of behind) expect(ids).not.toContain(id);
    expect(ids).toHaveLength(seeded.length + ahead.length);
    const distances = items.map((item) => item.distanceKm as number);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });
});
