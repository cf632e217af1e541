import { User } from '@spot/db';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createEvent,
  DAY,
  type StoredEventSpec,
  storeEvents,
  storeTickets,
  userIdOf,
} from './events-fixtures.ts';
import { type Agent, failure, outcome, useApi } from './harness.ts';

const api = useApi('spot_api_explore');

/** MongoDB's (and the engine's) sphere: 6378.1 km. Along a meridian, km → degrees is exact. */
const EARTH_RADIUS_KM = 6378.1;
const degreesNorth = (km: number) => ((km / EARTH_RADIUS_KM) * 180) / Math.PI;

const LYON = { lat: 45.764, lng: 4.8357 };
const now = Date.now();
const at = (days: number) => new Date(now + days * DAY);

const LISTED: Record<string, StoredEventSpec> = {
  jazzLyon: {
    title: 'Jazz by the Rhône',
    description: 'A quartet on the river bank.',
    category: 'music',
    city: 'Lyon',
    ...LYON,
    startDate: at(2),
  },
  techNine: {
    title: 'TypeScript meetup',
    description: 'Talks about types.',
    category: 'tech',
    city: 'Lyon',
    lat: LYON.lat + degreesNorth(9),
    lng: LYON.lng,
    startDate: at(3),
  },
  jazzParis: {
    title: 'Evening in Montmartre',
    description: 'A JAZZ trio in a small club.',
    category: 'music',
    city: 'Paris',
    lat: 48.8566,
    lng: 2.3522,
    startDate: at(5),
  },
  foodFifteen: {
    title: 'Street food market',
    description: 'Food trucks (and more) all afternoon.',
    category: 'food',
    city: 'Lyon',
    lat: LYON.lat - degreesNorth(15),
    lng: LYON.lng,
    startDate: at(10),
  },
  trailGrenoble: {
    title: 'Trail run',
    description: 'Ten kilometres in the hills.',
    category: 'sports',
    city: 'Grenoble',
    lat: 45.1885,
    lng: 5.7245,
    startDate: at(1),
  },
  // Started yesterday, ends tomorrow: still listed.
  exhibitionNice: {
    title: 'Open-air exhibition',
    description: 'Sculptures on the promenade.',
    category: 'arts',
    city: 'Nice',
    lat: 43.7102,
    lng: 7.262,
    startDate: at(-1),
    endDate: at(1),
  },
};

/** Would match every filter below, but must never be listed. */
const hiddenJazz = (title: string, extra: Partial<StoredEventSpec>): StoredEventSpec => ({
  title,
  description: 'Jazz that nobody should find.',
  category: 'music',
  city: 'Lyon',
  ...LYON,
  startDate: at(2),
  ...extra,
});
const HIDDEN: Record<string, StoredEventSpec> = {
  draft: hiddenJazz('Jazz draft', { isPublished: false }),
  removed: hiddenJazz('Jazz removed', { extra: { removed: { at: new Date(), reason: 'spam' } } }),
  cancelled: hiddenJazz('Jazz cancelled', { extra: { cancelledAt: new Date() } }),
  ended: hiddenJazz('Jazz ended', { startDate: at(-3), endDate: at(-2) }),
};

const ids: Record<string, string> = {};
const nameOf = (id: string) => Object.keys(ids).find((name) => ids[name] === id) ?? id;

beforeAll(async () => {
  const specs = { ...LISTED, ...HIDDEN };
  const stored = await storeEvents(Object.values(specs));
  Object.keys(specs).forEach((name, index) => {
    ids[name] = stored[index] as string;
  });
});

interface Item {
  id: string;
  distanceKm?: number;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

async function listed(filters: Record<string, unknown> = {}, agent?: Agent): Promise<string[]> {
  const page = (await (agent ?? api.agent()).query('explore.list', filters)) as Page;
  return page.items.map((item) => nameOf(item.id));
}

describe('explore.list', () => {
  it('lists published, open, not-yet-ended events soonest first (ongoing ones included)', async () => {
    expect(await listed()).toEqual([
      'exhibitionNice',
      'trailGrenoble',
      'jazzLyon',
      'techNine',
      'jazzParis',
      'foodFifteen',
    ]);
    const page = (await api.agent().query('explore.list')) as Page;
    expect(page.nextCursor).toBeNull();
  });

  it('never lists drafts, removed, cancelled or ended events, whatever the filters', async () => {
    const everyShape = [
      {},
      { text: 'jazz' },
      { category: 'music' },
      { city: 'Lyon' },
      { ...LYON, radiusKm: 1 },
      { from: at(-5), to: at(5) },
    ];
    for (const filters of everyShape) {
      const names = await listed(filters);
      for (const hidden of Object.keys(HIDDEN))
        expect(names, JSON.stringify(filters)).not.toContain(hidden);
    }
  });

  it('filters by category', async () => {
    expect(await listed({ category: 'music' })).toEqual(['jazzLyon', 'jazzParis']);
    expect(await listed({ category: 'nightlife' })).toEqual([]);
  });

  it('keeps the events happening at some point in the date window', async () => {
    expect(await listed({ from: at(1.5), to: at(4) })).toEqual(['jazzLyon', 'techNine']);
    // Started before the window and still running inside it.
    expect(await listed({ from: at(0.5), to: at(0.8) })).toEqual(['exhibitionNice']);
    expect(await listed({ to: at(1.5) })).toEqual(['exhibitionNice', 'trailGrenoble']);
    // ISO strings are accepted too (forms, links).
    expect(await listed({ from: at(9).toISOString() })).toEqual(['foodFifteen']);
  });

  it('filters by distance: an event 9 km away is inside 10 km and outside 8 km', async () => {
    const within10 = (await api.agent().query('explore.list', { ...LYON, radiusKm: 10 })) as Page;
    expect(within10.items.map((item) => [nameOf(item.id), item.distanceKm])).toEqual([
      ['jazzLyon', 0],
      ['techNine', 9],
    ]);
    expect(await listed({ ...LYON, radiusKm: 8 })).toEqual(['jazzLyon']);
    expect(await listed({ ...LYON, radiusKm: 20 })).toEqual([
      'jazzLyon',
      'techNine',
      'foodFifteen',
    ]);
  });

  it('sorts by distance whenever a point is given', async () => {
    expect(await listed(LYON)).toEqual([
      'jazzLyon',
      'techNine',
      'foodFifteen',
      'trailGrenoble',
      'exhibitionNice',
      'jazzParis',
    ]);
    expect(await listed({ ...LYON, category: 'music' })).toEqual(['jazzLyon', 'jazzParis']);
  });

  it('searches title and description, case-insensitively, taking the text literally', async () => {
    expect(await listed({ text: 'jazz' })).toEqual(['jazzLyon', 'jazzParis']);
    expect(await listed({ text: 'MONTMARTRE' })).toEqual(['jazzParis']);
    expect(await listed({ text: '(and' })).toEqual(['foodFifteen']);
    expect(await listed({ text: '.*' })).toEqual([]);
    expect(await listed({ text: '  ' })).toHaveLength(6);
  });

  it('filters by city, whole name, any case', async () => {
    expect(await listed({ city: 'lyon' })).toEqual(['jazzLyon', 'techNine', 'foodFifteen']);
    expect(await listed({ city: 'Ly' })).toEqual([]);
    expect(await listed({ city: 'Lyon', category: 'music' })).toEqual(['jazzLyon']);
  });

  it('answers BAD_REQUEST naming each bad filter', async () => {
    const fieldsOf = async (filters: Record<string, unknown>) => {
      const error = await failure(api.agent().query('explore.list', filters));
      expect(error.data?.code).toBe('BAD_REQUEST');
      return Object.keys(error.data?.zodError?.fieldErrors ?? {}).sort();
    };
    expect(await fieldsOf({ ...LYON, radiusKm: 501 })).toEqual(['radiusKm']);
    expect(await fieldsOf({ radiusKm: 5 })).toEqual(['lat', 'lng']);
    expect(await fieldsOf({ lat: 45 })).toEqual(['lng']);
    expect(await fieldsOf({ from: at(3), to: at(2) })).toEqual(['to']);
    expect(await fieldsOf({ from: 'next week' })).toEqual(['from']);
    expect(await fieldsOf({ category: 'karaoke', limit: 51 })).toEqual(['category', 'limit']);
  });

  it('refuses a tampered cursor, or one issued for other filters, naming cursor', async () => {
    const first = (await api.agent().query('explore.list', { limit: 2 })) as Page;
    const cursor = first.nextCursor as string;
    const [payload, signature] = cursor.split('.') as [string, string];
    const moved = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), k: 0 }),
    ).toString('base64url');
    for (const bad of [`${moved}.${signature}`, `${payload}.AAAA`, 'garbage']) {
      const error = await failure(api.agent().query('explore.list', { limit: 2, cursor: bad }));
      expect(error.data?.zodError?.fieldErrors, bad).toEqual({ cursor: [expect.any(String)] });
    }
    const otherFilters = await failure(
      api.agent().query('explore.list', { limit: 2, cursor, category: 'music' }),
    );
    expect(otherFilters.data?.zodError?.fieldErrors).toEqual({ cursor: [expect.any(String)] });
  });
});

describe('explore.forYou', () => {
  it("lists the user's interests nearest first when the user has a location", async () => {
    const agent = await api.signedIn('user');
    await User.updateOne(
      { _id: await userIdOf(agent) },
      { $set: { interests: ['music', 'food'], location: { city: 'Lyon', ...LYON } } },
    );
    const page = (await agent.query('explore.forYou')) as Page;
    expect(page.items.map((item) => nameOf(item.id))).toEqual([
      'jazzLyon',
      'foodFifteen',
      'jazzParis',
    ]);
  });

  it('follows the interests and location the user saves, and refuses unknown ones', async () => {
    const agent = await api.signedIn('user');
    const none = { interests: [], location: null };
    expect(await agent.query('auth.preferences')).toEqual(none);
    const saved = await agent.mutate('auth.updatePreferences', {
      interests: ['music', 'food', 'music'],
      location: LYON,
    });
    expect(saved).toEqual({ interests: ['music', 'food'], location: LYON });
    expect(await agent.query('auth.preferences')).toEqual(saved);
    expect(
      ((await agent.query('explore.forYou')) as Page).items.map((item) => nameOf(item.id)),
    ).toEqual(['jazzLyon', 'foodFifteen', 'jazzParis']);

    const refused = await failure(
      agent.mutate('auth.updatePreferences', {
        interests: ['karaoke'],
        location: { lat: 123, lng: 4 },
      }),
    );
    expect(Object.keys(refused.data?.zodError?.fieldErrors ?? {}).sort()).toEqual([
      'interests',
      'location',
    ]);
    expect(await agent.query('auth.preferences')).toEqual(saved);
    await agent.mutate('auth.updatePreferences', none);
    expect(await agent.query('auth.preferences')).toEqual(none);
  });

  it('lists everything soonest first for a user with no interests or location', async () => {
    const agent = await api.signedIn('user');
    expect(await listed({}, agent)).toEqual(
      ((await agent.query('explore.forYou')) as Page).items.map((item) => nameOf(item.id)),
    );
  });

  it('asks anonymous visitors to sign in', async () => {
    expect(await outcome(api.agent().query('explore.forYou'))).toBe('UNAUTHORIZED');
  });
});

describe('explore.get and explore.ticketOptions', () => {
  it("shows a published event with its organizer's name", async () => {
    const organizer = await api.signedIn('organizer');
    const id = await createEvent(organizer, { title: 'Organizer named' });
    await organizer.mutate('events.publish', { id });
    const page = (await api.agent().query('explore.get', { id })) as {
      title: string;
      organizer: { id: string; name: string };
    };
    expect(page.title).toBe('Organizer named');
    expect(page.organizer).toEqual({
      id: await userIdOf(organizer),
      name: expect.stringMatching(/^organizer \d+$/),
    });
    expect(JSON.stringify(page)).not.toContain('isPublished');
  });

  it('NOT_FOUND for drafts, removed and cancelled events, and for ids that do not exist', async () => {
    for (const name of ['draft', 'removed', 'cancelled']) {
      expect(await outcome(api.agent().query('explore.get', { id: ids[name] })), name).toBe(
        'NOT_FOUND',
      );
      expect(await outcome(api.agent().query('explore.ticketOptions', { id: ids[name] }))).toBe(
        'NOT_FOUND',
      );
    }
    expect(
      await outcome(api.agent().query('explore.get', { id: '0123456789abcdef01234567' })),
    ).toBe('NOT_FOUND');
    // An ended event keeps its page.
    expect(await outcome(api.agent().query('explore.get', { id: ids.ended }))).toBe('OK');
  });

  it('ticket options tell the seats left and whether they are on sale', async () => {
    const jazz = ids.jazzLyon as string;
    await storeTickets(jazz, [...Array(49).fill('valid'), 'cancelled']);
    expect(await api.agent().query('explore.ticketOptions', { id: jazz })).toEqual({
      eventId: jazz,
      capacity: 50,
      sold: 49,
      remaining: 1,
      soldOut: false,
      onSale: true,
      price: 0,
      currency: 'eur',
      maxPerPurchase: 10,
    });
    await storeTickets(jazz, ['used']);
    expect(await api.agent().query('explore.ticketOptions', { id: jazz })).toMatchObject({
      remaining: 0,
      soldOut: true,
    });
    expect(await api.agent().query('explore.ticketOptions', { id: ids.ended })).toMatchObject({
      onSale: false,
    });
  });
});
