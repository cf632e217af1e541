/**
 * Seeds the dev database once with demo accounts and events, and prints the logins. Runs before
 * `pnpm dev` serves the web app; does nothing to a database that already has the demo admin.
 */
import { disconnectDatabase, Event, User, type UserFields } from '@spot/db';
import type { Types } from 'mongoose';
import { createAccount } from '../auth/service.ts';
import { closeRedis } from '../lib/redis.ts';
import { toSessionUser } from '../lib/session.ts';
import { purchase } from '../tickets/service.ts';
import { connectForScript } from './database.ts';

const PASSWORD = 'spot-demo-password';
const ACCOUNTS = [
  { role: 'admin', email: 'admin@spot.local', name: 'Ada Admin' },
  { role: 'organizer', email: 'organizer@spot.local', name: 'Olive Organizer' },
  { role: 'user', email: 'user@spot.local', name: 'Uma User' },
] as const;

const DAY = 24 * 60 * 60 * 1000;
const EVENTS = [
  {
    title: 'Riverside Jazz Night',
    category: 'music',
    city: 'Lyon',
    lat: 45.764,
    lng: 4.8357,
    inDays: 7,
    capacity: 150,
  },
  {
    title: 'Founders Breakfast',
    category: 'business',
    city: 'Paris',
    lat: 48.8566,
    lng: 2.3522,
    inDays: 10,
    capacity: 40,
  },
  {
    title: 'Street Food Festival',
    category: 'food',
    city: 'Marseille',
    lat: 43.2965,
    lng: 5.3698,
    inDays: 14,
    capacity: 2000,
  },
  {
    title: 'TypeScript Meetup',
    category: 'tech',
    city: 'Paris',
    lat: 48.8606,
    lng: 2.3376,
    inDays: 21,
    capacity: 120,
  },
  {
    title: 'Open-Air Cinema',
    category: 'arts',
    city: 'Nice',
    lat: 43.7102,
    lng: 7.262,
    inDays: 30,
    capacity: 300,
  },
  {
    title: 'Sunday Trail Run',
    category: 'sports',
    city: 'Grenoble',
    lat: 45.1885,
    lng: 5.7245,
    inDays: 12,
    capacity: 500,
  },
] as const;

/**
 * A free event starting in an hour, its doors open, for which the demo user holds two tickets
 * bought through the real purchase path: something to scan in the scanner and watch live.
 */
async function seedDoorNight(
  organizerId: Types.ObjectId | undefined,
  attendee: (UserFields & { _id: Types.ObjectId }) | undefined,
): Promise<void> {
  if (!organizerId || !attendee) return;
  const startDate = new Date(Date.now() + 60 * 60 * 1000);
  const event = await Event.create({
    title: 'Demo Door Night',
    category: 'community',
    description: 'Doors are open: scan the demo tickets with the scanner app.',
    location: { city: 'Lyon', lat: 45.7597, lng: 4.8422 },
    startDate,
    endDate: new Date(startDate.getTime() + 3 * 60 * 60 * 1000),
    organizerId,
    capacity: 100,
    isPublished: true,
  });
  const buyer = {
    user: toSessionUser(attendee),
    ip: '127.0.0.1',
    userAgent: 'seed',
    resHeaders: new Headers(),
  };
  await purchase(buyer, { eventId: event._id.toHexString(), quantity: 2 });
}

await connectForScript();
try {
  if (await User.exists({ email: ACCOUNTS[0].email })) {
    console.log('Demo data already present.');
  } else {
    const created = [];
    for (const account of ACCOUNTS)
      created.push(await createAccount({ ...account, password: PASSWORD }));
    const organizer = created[1];
    const now = Date.now();
    await Event.create(
      EVENTS.map(({ inDays, city, lat, lng, ...event }) => ({
        ...event,
        description: `${event.title} in ${city}. A demo event seeded for development.`,
        location: { city, lat, lng },
        startDate: new Date(now + inDays * DAY),
        endDate: new Date(now + inDays * DAY + 3 * 60 * 60 * 1000),
        organizerId: organizer?._id,
        isPublished: true,
      })),
    );
    await seedDoorNight(organizer?._id, created[2]);
    console.log(`Seeded ${ACCOUNTS.length} accounts and ${EVENTS.length + 1} events.`);
  }
  console.log(`Demo logins (password "${PASSWORD}"):`);
  for (const account of ACCOUNTS) console.log(`  ${account.role.padEnd(9)} ${account.email}`);
  console.log(
    'Door check-in: "Demo Door Night" (doors open) has two tickets of the user (My tickets) to scan',
  );
  console.log('as the organizer in the scanner app (http://localhost:3002).');
} finally {
  await closeRedis();
  await disconnectDatabase();
}
