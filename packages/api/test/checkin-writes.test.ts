import { CheckIn, Ticket } from '@spot/db';
import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  admitInTransaction,
  admitWithCompensation,
  type CheckInRecord,
} from '../src/checkin/admission.ts';
import { reconcileCheckIns } from '../src/checkin/reconciler.ts';
import { issueTickets, openDoorEvent } from './checkin-fixtures.ts';
import { userIdOf } from './events-fixtures.ts';
import { useApi } from './harness.ts';

const api = useApi('spot_api_checkin_writes');

let organizerId: string;
beforeAll(async () => {
  organizerId = await userIdOf(await api.signedIn('organizer'));
});

const record = (scannedAt = new Date()): CheckInRecord => ({
  scannedBy: new Types.ObjectId(organizerId),
  scannedAt,
  manual: false,
});

// Both ways of writing a check-in: in one transaction, and (for deployments without
// transactions) with a compensating write.
for (const [strategy, admit] of [
  ['in a transaction', admitInTransaction],
  ['with compensation', admitWithCompensation],
] as const) {
  describe(`admitting a ticket ${strategy}`, () => {
    it('has exactly one winner among 30 concurrent admissions, with one CheckIn', async () => {
      const eventId = await openDoorEvent(organizerId);
      const [ticket] = await issueTickets(eventId, [organizerId]);
      const selector = { eventId: new Types.ObjectId(eventId), ticketCode: ticket?.code ?? '' };
      const results = await Promise.all(
        Array.from({ length: 30 }, () => admit(selector, record())),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await CheckIn.countDocuments({ ticketId: ticket?.id })).toBe(1);
      expect((await Ticket.findById(ticket?.id).lean())?.status).toBe('used');
    });

    it('leaves the ticket valid when the CheckIn cannot be written (no partial success)', async () => {
      const eventId = await openDoorEvent(organizerId);
      const [ticket] = await issueTickets(eventId, [organizerId]);
      // A stray record for this ticket makes the CheckIn insert hit the unique index.
      await CheckIn.create({ ...record(), eventId, ticketId: ticket?.id });
      const selector = { eventId: new Types.ObjectId(eventId), ticketCode: ticket?.code ?? '' };
      await expect(admit(selector, record())).rejects.toMatchObject({ code: 11000 });
      const stored = await Ticket.findById(ticket?.id).lean();
      expect(stored?.status).toBe('valid');
      expect(stored?.checkedInAt).toBeUndefined();
    });
  });
}

describe('the check-in reconciler', () => {
  it('returns tickets marked used without a CheckIn to valid, and leaves the rest alone', async () => {
    const eventId = await openDoorEvent(organizerId);
    const [orphan, complete, inFlight] = await issueTickets(eventId, [
      organizerId,
      organizerId,
      organizerId,
    ]);
    const twoMinutesAgo = new Date(Date.now() - 2 * 60_000);
    await Ticket.updateMany(
      { _id: { $in: [orphan?.id, complete?.id] } },
      { $set: { status: 'used', checkedInAt: twoMinutesAgo } },
    );
    await CheckIn.create({ ...record(twoMinutesAgo), eventId, ticketId: complete?.id });
    // Just written by a scan that has not recorded its CheckIn yet.
    await Ticket.updateOne(
      { _id: inFlight?.id },
      { $set: { status: 'used', checkedInAt: new Date() } },
    );

    expect(await reconcileCheckIns()).toBe(1);
    const statuses = await Promise.all(
      [orphan, complete, inFlight].map(
        async (ticket) => (await Ticket.findById(ticket?.id).lean())?.status,
      ),
    );
    expect(statuses).toEqual(['valid', 'used', 'used']);
    expect(await reconcileCheckIns()).toBe(0);
  });
});
