/**
 * Seeds the dev database with demo accounts and events, and prints the logins. Runs before every
 * `pnpm dev`: what is there stays, and what time made stale is topped up (demo events with no
 * upcoming date, a door night with open doors and tickets to scan).
 */
import { getConfig } from '@spot/config';
import { disconnectDatabase, Event, Ticket, User, type UserFields } from '@spot/db';
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

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const DOOR_NIGHT = 'Demo Door Night';
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

type DemoUser = UserFields & { _id: Types.ObjectId };

/** The demo accounts: created on the first run, read back on the next ones. */
async function demoAccounts(): Promise<{ organizer: DemoUser; attendee: DemoUser; added: number }> {
  const users: DemoUser[] = [];
  let added = 0;
  for (const account of ACCOUNTS) {
    const existing = await User.findOne({ email: account.email }).lean<DemoUser>();
    if (existing) {
      users.push(existing);
    } else {
      users.push((await createAccount({ ...account, password: PASSWORD })).toObject());
      added++;
    }
  }
  const [, organizer, attendee] = users as [DemoUser, DemoUser, DemoUser];
  return { organizer, attendee, added };
}

/** The demo events that have no upcoming date any more (or never had one), a fresh one each. */
async function seedUpcomingEvents(organizerId: Types.ObjectId): Promise<number> {
  const now = Date.now();
  const upcoming = await Event.distinct('title', {
    organizerId,
    title: { $in: EVENTS.map((event) => event.title) },
    startDate: { $gt: new Date(now) },
  });
  const missing = EVENTS.filter((event) => !upcoming.includes(event.title));
  await Event.create(
    missing.map(({ inDays, city, lat, lng, ...event }) => ({
      ...event,
      description: `${event.title} in ${city}. A demo event seeded for development.`,
      location: { city, lat, lng },
      startDate: new Date(now + inDays * DAY),
      endDate: new Date(now + inDays * DAY + 3 * HOUR),
      organizerId,
      isPublished: true,
    })),
  );
  return missing.length;
}

/**
 * A free event starting within the hour, its doors open, for which the demo user holds two tickets
 * bought through the real purchase path: something to scan in the scanner and watch live. A new
 * one whenever the last has no door open for the next hour or no ticket left to scan.
 */
async function seedDoorNight(organizer: DemoUser, attendee: DemoUser): Promise<boolean> {
  const now = Date.now();
  const opensBefore = getConfig().CHECKIN_OPENS_BEFORE_MINUTES * 60_000;
  const open = await Event.find(
    {
      organizerId: organizer._id,
      title: DOOR_NIGHT,
      startDate: { $lte: new Date(now + opensBefore) },
      endDate: { $gt: new Date(now + HOUR) },
    },
    { _id: 1 },
  ).lean();
  const scannable = await Ticket.exists({
    eventId: { $in: open.map((event) => event._id) },
    userId: attendee._id,
    status: 'valid',
  });
  if (scannable) return false;

  // Doors open CHECKIN_OPENS_BEFORE_MINUTES before the start, which may be less than an hour.
  const startDate = new Date(now + Math.min(HOUR, opensBefore));
  const event = await Event.create({
    title: DOOR_NIGHT,
    category: 'community',
    description: 'Doors are open: scan the demo tickets with the scanner app.',
    location: { city: 'Lyon', lat: 45.7597, lng: 4.8422 },
    startDate,
    endDate: new Date(startDate.getTime() + 3 * HOUR),
    organizerId: organizer._id,
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
  return true;
}

await connectForScript();
try {
  const { organizer, attendee, added } = await demoAccounts();
  const events = await seedUpcomingEvents(organizer._id);
  const doorNight = await seedDoorNight(organizer, attendee);
  const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
  const addedEvents = events + Number(doorNight);
  console.log(
    added + addedEvents === 0
      ? 'Demo data already present.'
      : `Demo data: ${plural(added, 'account')} and ${plural(addedEvents, 'event')} added.`,
  );
  console.log(`Demo logins (password "${PASSWORD}"):`);
  for (const account of ACCOUNTS) console.log(`  ${account.role.padEnd(9)} ${account.email}`);
  console.log(
    `Door check-in: "${DOOR_NIGHT}" (doors open) has tickets of the user (My tickets) to scan`,
  );
  console.log('as the organizer in the scanner app (http://localhost:3002).');
} finally {
  await closeRedis();
  await disconnectDatabase();
}
