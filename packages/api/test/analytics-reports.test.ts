import { beforeAll, describe, expect, it } from 'vitest';
import { BUYERS, type JazzNight, makePro, seedJazzNight } from './analytics-fixtures.ts';
import { userIdOf } from './events-fixtures.ts';
import { type Agent, failure, useApi } from './harness.ts';

const api = useApi('spot_api_analytics_reports');

interface Bucket {
  start: Date;
}
const starts = (buckets: Bucket[]) => buckets.map((bucket) => bucket.start.toISOString());
const every5Minutes = (from: string, count: number) =>
  Array.from({ length: count }, (_, index) =>
    new Date(Date.parse(from) + index * 5 * 60_000).toISOString(),
  );

describe('organizer analytics from the seeded history (known answers)', () => {
  let pro: Agent;
  let jazz: JazzNight;

  beforeAll(async () => {
    pro = await api.signedIn('organizer');
    await makePro(pro);
    jazz = await seedJazzNight(await userIdOf(pro));
  });

  it('summary: tickets, no-shows after the event, revenue per currency, views and refused scans', async () => {
    expect(await pro.query('analytics.summary', { eventId: jazz.eventId })).toMatchObject({
      event: {
        id: jazz.eventId,
        title: 'Jazz night',
        capacity: 100,
        ended: true,
        cancelled: false,
      },
      tickets: { sold: 7, remaining: 93, checkedIn: 4, cancelled: 1 },
      views: 40,
      clicks: 12,
      noShows: { count: 3, rate: 3 / 7 },
      revenue: [
        { currency: 'eur', gross: 17_500, refunded: 2_500, net: 15_000 },
        { currency: 'usd', gross: 3_000, refunded: 0, net: 3_000 },
      ],
      failedScans: 2,
    });
  });

  it('funnel: views → clicks → orders issued → orders that came to the door', async () => {
    expect(await pro.query('analytics.funnel', { eventId: jazz.eventId })).toEqual([
      { step: 'views', count: 40, conversion: null },
      { step: 'clicks', count: 12, conversion: 12 / 40 },
      { step: 'purchases', count: 5, conversion: 5 / 12 },
      { step: 'checkIns', count: 2, conversion: 2 / 5 },
    ]);
  });

  it('arrival curve: check-ins per 5 minutes with the empty buckets, and the running total', async () => {
    const series = (await pro.query('analytics.timeSeries', { eventId: jazz.eventId })) as {
      arrivals: Array<Bucket & { checkIns: number; total: number }>;
    };
    expect(starts(series.arrivals)).toEqual(every5Minutes('2025-03-30T17:00:00Z', 7));
    expect(series.arrivals.map((bucket) => bucket.checkIns)).toEqual([2, 0, 1, 0, 0, 0, 1]);
    expect(series.arrivals.map((bucket) => bucket.total)).toEqual([2, 2, 3, 3, 3, 3, 4]);
  });

  it('sales and views per day in UTC, quiet days included', async () => {
    const series = (await pro.query('analytics.timeSeries', {
      eventId: jazz.eventId,
      salesInterval: 'day',
    })) as { timezone: string; sales: Array<Bucket & { tickets: number; views: number }> };
    expect(series.timezone).toBe('UTC');
    expect(
      series.sales.map(({ start, tickets, views }) => [start.toISOString(), tickets, views]),
    ).toEqual([
      ['2025-03-27T00:00:00.000Z', 0, 25],
      ['2025-03-28T00:00:00.000Z', 3, 0],
      ['2025-03-29T00:00:00.000Z', 1, 0],
      ['2025-03-30T00:00:00.000Z', 3, 14],
      ['2025-03-31T00:00:00.000Z', 0, 0],
      ['2025-04-01T00:00:00.000Z', 0, 1],
    ]);
  });

  it("days in Paris: a late sale moves to the next day, and the 23-hour DST day is followed by Paris's midnight", async () => {
    const series = (await pro.query('analytics.timeSeries', {
      eventId: jazz.eventId,
      timezone: 'europe/paris',
    })) as {
      timezone: string;
      sales: Array<Bucket & { tickets: number; views: number }>;
      arrivals: Bucket[];
    };
    expect(series.timezone).toBe('Europe/Paris');
    expect(
      series.sales.map(({ start, tickets, views }) => [start.toISOString(), tickets, views]),
    ).toEqual([
      ['2025-03-26T23:00:00.000Z', 0, 25],
      ['2025-03-27T23:00:00.000Z', 2, 0],
      ['2025-03-28T23:00:00.000Z', 2, 0],
      ['2025-03-29T23:00:00.000Z', 3, 14],
      // 30 March lasted 23 hours in Paris: the next midnight is 22:00 UTC.
      ['2025-03-30T22:00:00.000Z', 0, 0],
      ['2025-03-31T22:00:00.000Z', 0, 1],
    ]);
    // A 5-minute grid is the same in every zone.
    expect(starts(series.arrivals)).toEqual(every5Minutes('2025-03-30T17:00:00Z', 7));
  });

  it('hours in a half-hour zone (Kolkata, UTC+5:30) start at half past in UTC', async () => {
    const series = (await pro.query('analytics.timeSeries', {
      eventId: jazz.eventId,
      timezone: 'Asia/Kolkata',
      salesInterval: 'hour',
    })) as { sales: Array<Bucket & { tickets: number; views: number }> };
    // From 17:00 on 27 March to 13:00 on 1 April, Kolkata time: 116 hours apart.
    expect(series.sales).toHaveLength(117);
    expect(series.sales[0]?.start.toISOString()).toBe('2025-03-27T11:30:00.000Z');
    expect(series.sales.at(-1)?.start.toISOString()).toBe('2025-04-01T07:30:00.000Z');
    expect(series.sales.every((bucket) => bucket.start.getUTCMinutes() === 30)).toBe(true);
    const sum = (key: 'tickets' | 'views') =>
      series.sales.reduce((total, bucket) => total + bucket[key], 0);
    expect([sum('tickets'), sum('views')]).toEqual([7, 40]);
    const zoesHour = series.sales.find(
      (bucket) => bucket.start.toISOString() === '2025-03-28T09:30:00.000Z',
    );
    expect(zoesHour).toMatchObject({ tickets: 2, views: 0 });
  });

  it('refuses a time zone that is not an IANA zone, naming the field', async () => {
    for (const timezone of ['Mars/Olympus', '+05:00', 'CEST', '']) {
      const error = await failure(
        pro.query('analytics.timeSeries', { eventId: jazz.eventId, timezone }),
      );
      expect(error.data?.code, timezone).toBe('BAD_REQUEST');
      expect(error.data?.zodError?.fieldErrors).toEqual({
        timezone: ['timezone must be an IANA time zone such as Europe/Paris'],
      });
    }
  });
});

describe('Pro gating of the analytics', () => {
  let free: Agent;
  let eventId: string;

  beforeAll(async () => {
    free = await api.signedIn('organizer');
    ({ eventId } = await seedJazzNight(await userIdOf(free)));
  });

  it('a free organizer gets the totals and the bookings, and an upgrade hint for the Pro reports', async () => {
    expect(await free.query('analytics.summary', { eventId })).toMatchObject({
      tickets: { sold: 7 },
    });
    expect(await free.query('tickets.bookings', { eventId, limit: 2 })).toMatchObject({
      items: [{}, {}],
    });
    for (const procedure of ['analytics.timeSeries', 'analytics.funnel']) {
      const error = await failure(free.query(procedure, { eventId }));
      expect(error.data?.code, procedure).toBe('FORBIDDEN');
      expect(error.message).toMatch(/part of Spot Pro\. Upgrade to Spot Pro on your billing page/);
    }
  });

  it('the same organizer on Pro gets them; admins are never gated', async () => {
    await makePro(free);
    expect(await free.query('analytics.funnel', { eventId })).toHaveLength(4);
    const admin = await api.signedIn('admin');
    expect(await admin.query('analytics.funnel', { eventId })).toHaveLength(4);
    expect(await admin.query('analytics.timeSeries', { eventId })).toMatchObject({
      arrivals: expect.any(Array),
    });
  });
});

describe('bookings: search by attendee and cursor paging', () => {
  let organizer: Agent;
  let jazz: JazzNight;

  interface BookingsPage {
    items: Array<{
      ticketCode: string;
      status: string;
      attendee: { name: string; email: string } | null;
      createdAt: Date;
      checkedInAt: Date | null;
    }>;
    nextCursor: string | null;
  }
  const bookings = (input: Record<string, unknown>) =>
    organizer.query('tickets.bookings', {
      eventId: jazz.eventId,
      ...input,
    }) as Promise<BookingsPage>;
  const names = (page: BookingsPage) => page.items.map((item) => item.attendee?.name);

  beforeAll(async () => {
    organizer = await api.signedIn('organizer');
    jazz = await seedJazzNight(await userIdOf(organizer));
  });

  it('lists every ticket newest first, with when each was checked in', async () => {
    const page = await bookings({ limit: 50 });
    expect(page.items).toHaveLength(8);
    expect(page.nextCursor).toBeNull();
    const times = page.items.map((item) => item.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const zoes = page.items.filter((item) => item.attendee?.name === BUYERS.zoe.name);
    expect(zoes.map((item) => item.checkedInAt?.toISOString()).sort()).toEqual([
      '2025-03-30T17:02:00.000Z',
      '2025-03-30T17:04:00.000Z',
    ]);
    expect(page.items.filter((item) => item.checkedInAt !== null)).toHaveLength(4);
  });

  it('finds attendees by part of their name or email, in any case, with special characters taken literally', async () => {
    expect(names(await bookings({ search: 'Zoë' }))).toEqual([BUYERS.zoe.name, BUYERS.zoe.name]);
    expect(names(await bookings({ search: 'DANNY' }))).toEqual([BUYERS.danny.name]);
    // Only the email says "mallory".
    expect(names(await bookings({ search: 'MALLORY' }))).toEqual(
      Array(3).fill(BUYERS.formula.name),
    );
    expect(names(await bookings({ search: '"the kid"' }))).toEqual([BUYERS.danny.name]);
    // "(" and "." are regex syntax: taken literally they only match the formula-like name.
    expect(names(await bookings({ search: '("http://evil.' }))).toEqual(
      Array(3).fill(BUYERS.formula.name),
    );
    expect((await bookings({ search: 'nobody-has-this' })).items).toEqual([]);
  });

  it('pages a search with cursors bound to it', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await bookings({ search: 'example.com', limit: 3, cursor });
      seen.push(...page.items.map((item) => item.ticketCode));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(8);

    const first = await bookings({ search: 'example.com', limit: 3 });
    const error = await failure(bookings({ search: 'zoe', cursor: first.nextCursor }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.data?.zodError?.fieldErrors).toHaveProperty('cursor');
  });
});
