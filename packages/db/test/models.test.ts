import { randomUUID } from 'node:crypto';
import { startTestDatabase, type TestDatabase } from '@spot/testing';
import mongoose, { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckIn, connectDatabase, disconnectDatabase, Event, Ticket, User } from '../src/index.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await startTestDatabase('spot_db');
  await connectDatabase(database.uri);
});

afterAll(async () => {
  await disconnectDatabase();
  await database.stop();
});

const organizerId = new Types.ObjectId();
const validEvent = () => ({
  title: 'Jazz night',
  description: 'Live jazz by the river.',
  category: 'music' as const,
  location: { city: 'Lyon', lat: 45.76, lng: 4.83 },
  startDate: new Date('2031-06-01T19:00:00Z'),
  endDate: new Date('2031-06-01T23:00:00Z'),
  organizerId,
  capacity: 200,
});

function duplicateKeyOf(error: unknown): unknown {
  expect((error as { code?: number }).code).toBe(11000);
  return (error as { keyValue?: unknown }).keyValue;
}

describe('User', () => {
  it('stores the email lower-cased and refuses a second account with the same email in any case', async () => {
    const user = await User.create({
      name: 'Ann',
      email: '  Ann@Example.COM ',
      passwordHash: 'hash',
    });
    expect(user.email).toBe('ann@example.com');
    expect(user.role).toBe('user');
    expect(user.status).toBe('active');
    const error = await User.create({
      name: 'Other Ann',
      email: 'ANN@example.com',
      passwordHash: 'hash',
    }).catch((e) => e);
    expect(duplicateKeyOf(error)).toEqual({ email: 'ann@example.com' });
  });

  it('does not return the password hash unless asked for', async () => {
    await User.create({ name: 'Bob', email: 'bob@example.com', passwordHash: 'secret-hash' });
    expect((await User.findOne({ email: 'bob@example.com' }).lean())?.passwordHash).toBeUndefined();
    const withHash = await User.findOne({ email: 'bob@example.com' })
      .select('+passwordHash')
      .lean();
    expect(withHash?.passwordHash).toBe('secret-hash');
  });

  it('rejects roles and statuses outside the enums', async () => {
    // Deliberately outside the types: the schema must refuse what the compiler would have.
    const untyped: Record<string, unknown> = {
      name: 'Eve',
      email: 'eve@example.com',
      passwordHash: 'h',
      role: 'root',
    };
    const error = await User.create(untyped).catch((e) => e);
    expect(error).toBeInstanceOf(mongoose.Error.ValidationError);
    expect(Object.keys(error.errors)).toEqual(['role']);
    expect(await User.countDocuments({ email: 'eve@example.com' })).toBe(0);
  });
});

describe('Event', () => {
  it('keeps a GeoJSON point in step with lat/lng so distance queries can use the 2dsphere index', async () => {
    const event = await Event.create(validEvent());
    expect(event.location?.point?.coordinates).toEqual([4.83, 45.76]);
    expect(event.isPublished).toBe(false);
    const near = await Event.find({
      'location.point': {
        $near: { $geometry: { type: 'Point', coordinates: [4.84, 45.77] }, $maxDistance: 5000 },
      },
    }).lean();
    expect(near.map((found) => String(found._id))).toContain(String(event._id));
  });

  it('validates title length, category, coordinates and capacity', async () => {
    const untyped: Record<string, unknown> = {
      ...validEvent(),
      title: 'No',
      category: 'karaoke',
      location: { city: 'Nowhere', lat: 120, lng: 4 },
      capacity: 0,
    };
    const error = await Event.create(untyped).catch((e) => e);
    expect(error).toBeInstanceOf(mongoose.Error.ValidationError);
    expect(Object.keys(error.errors).sort()).toEqual([
      'capacity',
      'category',
      'location.lat',
      'title',
    ]);
  });

  it('refuses an event that ends before it starts', async () => {
    const error = await Event.create({
      ...validEvent(),
      endDate: new Date('2031-05-31T00:00:00Z'),
    }).catch((e) => e);
    expect(error.errors.endDate.message).toBe('endDate must be after startDate');
  });

  it('declares the indexes Explore and the organizer dashboard rely on', async () => {
    const keys = (await Event.collection.indexes()).map((index) => index.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        { isPublished: 1, startDate: 1, _id: 1 },
        { isPublished: 1, category: 1, startDate: 1, _id: 1 },
        { 'location.point': '2dsphere' },
        { organizerId: 1, createdAt: -1, _id: -1 },
      ]),
    );
  });
});

describe('Ticket and CheckIn', () => {
  it('a ticket code is unique, and a ticket can be checked in only once', async () => {
    const ticketCode = randomUUID();
    const base = {
      eventId: new Types.ObjectId(),
      userId: new Types.ObjectId(),
      qrPayload: 'signed',
    };
    const ticket = await Ticket.create({ ...base, ticketCode });
    expect(ticket.status).toBe('valid');
    expect(duplicateKeyOf(await Ticket.create({ ...base, ticketCode }).catch((e) => e))).toEqual({
      ticketCode,
    });

    const scan = { eventId: base.eventId, ticketId: ticket._id, scannedBy: new Types.ObjectId() };
    await CheckIn.create(scan);
    const second = await CheckIn.create(scan).catch((e) => e);
    expect(duplicateKeyOf(second)).toEqual({ ticketId: ticket._id });
  });

  it('refuses a ticket code that is not a UUID', async () => {
    const error = await Ticket.create({
      eventId: new Types.ObjectId(),
      userId: new Types.ObjectId(),
      qrPayload: 'signed',
      ticketCode: 'not-a-uuid',
    }).catch((e) => e);
    expect(Object.keys(error.errors)).toEqual(['ticketCode']);
  });
});
