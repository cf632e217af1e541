import { randomUUID } from 'node:crypto';
import { CheckIn, Event, Hold, Ticket, User } from '@spot/db';
import type { Model } from 'mongoose';
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { DAY, storeEvents } from './events-fixtures.ts';
import { failure, useApi } from './harness.ts';

const api = useApi('spot_api_admin_analytics');

const FROM = new Date('2024-01-01T00:00:00Z');
const TO = new Date('2024-02-01T00:00:00Z');
const IN = (day: number) => new Date(FROM.getTime() + day * DAY);
const BEFORE = new Date('2023-12-31T23:59:59Z');
const AFTER = TO; // the end is excluded

/** Writes documents as they were at `createdAt` (the driver, so timestamps are not reset). */
function insertRaw(model: Model<never>, docs: Array<Record<string, unknown>>) {
  return model.collection.insertMany(docs.map((doc) => ({ _id: new Types.ObjectId(), ...doc })));
}

async function backdate(ids: string[], createdAt: Date): Promise<void> {
  await Event.collection.updateMany(
    { _id: { $in: ids.map((id) => new Types.ObjectId(id)) } },
    { $set: { createdAt } },
  );
}

function ticket(eventId: string, status: string, createdAt: Date) {
  return {
    eventId: new Types.ObjectId(eventId),
    userId: new Types.ObjectId(),
    ticketCode: randomUUID(),
    qrPayload: 'signed-elsewhere',
    status,
    createdAt,
  };
}

function hold(fields: Record<string, unknown>) {
  return {
    eventId: new Types.ObjectId(),
    userId: new Types.ObjectId(),
    quantity: 1,
    provider: 'stripe',
    expiresAt: FROM,
    refunds: [],
    ...fields,
  };
}

describe('admin: platform analytics', () => {
  it('answers known numbers over seeded data for the chosen period', async () => {
    const admin = await api.signedIn('admin');
    const user = (createdAt: Date, role = 'user', status = 'active') => ({
      name: `Seeded ${role}`,
      email: `${new Types.ObjectId().toHexString()}@example.com`,
      passwordHash: 'x',
      role,
      status,
      sessionVersion: 0,
      isPremium: false,
      createdAt,
    });
    await insertRaw(User as never, [
      user(IN(4)),
      user(IN(19), 'organizer', 'suspended'),
      user(BEFORE),
      user(AFTER),
    ]);

    const start = { startDate: new Date(Date.now() + 30 * DAY) };
    const [music, tech, draft, oldMusic, removed] = await storeEvents([
      { ...start, category: 'music' },
      { ...start, category: 'tech' },
      { ...start, category: 'food', isPublished: false },
      { ...start, category: 'music' },
      { ...start, category: 'arts', extra: { removed: { at: IN(3), reason: 'Scam' } } },
    ]);
    await backdate([music, tech, draft, removed] as string[], IN(2));
    await backdate([oldMusic] as string[], BEFORE);

    await insertRaw(Ticket as never, [
      ticket(music as string, 'valid', IN(5)),
      ticket(music as string, 'used', IN(6)),
      ticket(music as string, 'cancelled', IN(7)),
      ticket(tech as string, 'valid', IN(8)),
      ticket(tech as string, 'valid', AFTER),
      ticket(oldMusic as string, 'valid', IN(9)),
      ticket(oldMusic as string, 'valid', IN(10)),
    ]);

    const refund = (amount: number, at: Date) => ({
      refundId: `re_${amount}_${+at}`,
      amount,
      reason: 'test',
      ticketIds: [],
      at,
    });
    await insertRaw(Hold as never, [
      hold({
        amount: 5000,
        currency: 'eur',
        status: 'issued',
        issuedAt: IN(5),
        refunds: [refund(2500, IN(6)), refund(1000, AFTER)],
      }),
      hold({ amount: 3000, currency: 'usd', status: 'issued', issuedAt: IN(8) }),
      // Paid before the period, refunded in it.
      hold({
        amount: 4000,
        currency: 'eur',
        status: 'issued',
        issuedAt: BEFORE,
        refunds: [refund(4000, IN(1))],
      }),
      // Paid too late and refunded at once: never issued, so neither revenue nor refund.
      hold({ amount: 2000, currency: 'eur', status: 'refunded', refunds: [refund(2000, IN(3))] }),
    ]);

    const checkIn = (scannedAt: Date) => ({
      eventId: new Types.ObjectId(music),
      ticketId: new Types.ObjectId(),
      scannedBy: new Types.ObjectId(),
      scannedAt,
      manual: false,
    });
    await insertRaw(CheckIn as never, [checkIn(IN(5)), checkIn(IN(30)), checkIn(AFTER)]);

    expect(await admin.query('admin.platformAnalytics', { from: FROM, to: TO })).toEqual({
      period: { from: FROM, to: TO },
      // Everyone now: the four seeded accounts and the admin asking.
      usersByRole: { user: 3, organizer: 1, admin: 1 },
      suspendedUsers: 1,
      newSignups: 2,
      eventsPublished: 2,
      ticketsSold: 5,
      revenue: [
        { currency: 'eur', gross: 5000, refunded: 6500, net: -1500 },
        { currency: 'usd', gross: 3000, refunded: 0, net: 3000 },
      ],
      checkIns: 2,
      topCategories: [
        { category: 'music', ticketsSold: 4 },
        { category: 'tech', ticketsSold: 1 },
      ],
    });

    // ISO strings (a form's values) work as well; an empty period is refused naming `to`.
    expect(
      await admin.query('admin.platformAnalytics', { from: IN(9), to: IN(11).toISOString() }),
    ).toMatchObject({ ticketsSold: 2, topCategories: [{ category: 'music', ticketsSold: 2 }] });
    const empty = await failure(admin.query('admin.platformAnalytics', { from: TO, to: FROM }));
    expect(Object.keys(empty.data?.zodError?.fieldErrors ?? {})).toEqual(['to']);
  });
});
