import { AuditLog, Hold, Report, Seat, Ticket } from '@spot/db';
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { userIdOf } from './events-fixtures.ts';
import { type Agent, failure, outcome, useApi } from './harness.ts';
import { useLocalStripe } from './local-stripe.ts';
import { buy, storeSaleEvent } from './tickets-fixtures.ts';

const local = useLocalStripe();
const api = useApi('spot_api_admin_events');

/** Buys `quantity` tickets and has Stripe confirm the payment through the signed webhook. */
async function paidTickets(buyer: Agent, eventId: string, quantity: number): Promise<string[]> {
  const hold = await buy(buyer, eventId, quantity);
  const paid = local.stripe.succeed(hold.paymentIntentId as string);
  await local.stripe.deliver(
    local.webhookUrl,
    local.stripe.event('payment_intent.succeeded', paid),
  );
  const tickets = await Ticket.find({ holdId: hold.holdId }, { _id: 1 }).lean();
  return tickets.map((ticket) => ticket._id.toHexString());
}

const listed = async (agent: Agent) =>
  (
    (await agent.query('explore.list', { limit: 50 })) as { items: Array<{ id: string }> }
  ).items.map((item) => item.id);

describe('admin: removing and restoring events', () => {
  it('removal hides the event at once, cancels and refunds its tickets, frees its places and tells the organizer why', async () => {
    const admin = await api.signedIn('admin');
    const organizer = await api.signedIn('organizer');
    const buyer = await api.signedIn('user');
    const reporter = await api.signedIn('user');
    const visitor = api.agent();
    const eventId = await storeSaleEvent({ organizer, capacity: 5, price: 2500 });
    const tickets = await paidTickets(buyer, eventId, 2);
    expect(tickets).toHaveLength(2);
    // Someone is paying right now: that payment is cancelled by the removal.
    const pending = await buy(await api.signedIn('user'), eventId, 1);
    await reporter.mutate('moderation.reportEvent', {
      eventId,
      reason: 'scam',
      text: 'The venue address is a parking lot.',
    });
    expect(await listed(visitor)).toContain(eventId);

    const reason = 'Fake event: the venue does not exist';
    const result = (await admin.mutate('admin.removeEvent', { id: eventId, reason })) as {
      ticketsCancelled: number;
      event: { status: string; removed: { reason: string }; openReports: number };
    };
    expect(result).toMatchObject({
      ticketsCancelled: 2,
      event: { status: 'removed', removed: { reason }, openReports: 0 },
    });

    // Gone from Explore and from its page at once, and not for sale.
    expect(await listed(visitor)).not.toContain(eventId);
    expect(await outcome(visitor.query('explore.get', { id: eventId }))).toBe('NOT_FOUND');
    expect(await outcome(buyer.mutate('tickets.purchase', { eventId, quantity: 1 }))).toBe(
      'NOT_FOUND',
    );

    // Each ticket cancelled and refunded through Stripe, once, with the reason recorded.
    const stored = await Ticket.find({ _id: { $in: tickets } }).lean();
    expect(stored.map((ticket) => ticket.status)).toEqual(['cancelled', 'cancelled']);
    expect(stored.every((ticket) => ticket.refundId?.startsWith('re_'))).toBe(true);
    const refunds = local.stripe.refunds.filter((refund) =>
      stored.some((ticket) => ticket.refundId === refund.id),
    );
    expect(refunds.map((refund) => [refund.amount, refund.metadata.reason])).toEqual([
      [2500, 'event_removed'],
      [2500, 'event_removed'],
    ]);
    const hold = await Hold.findOne({ _id: stored[0]?.holdId }).lean();
    expect(hold?.refunds.map((refund) => refund.reason)).toEqual([
      'event_removed',
      'event_removed',
    ]);
    expect(local.stripe.paymentIntents.get(pending.paymentIntentId as string)?.status).toBe(
      'canceled',
    );
    expect(await Seat.countDocuments({ eventId, state: 'sold' })).toBe(0);
    // The holder sees the ticket cancelled and refunded.
    expect(await buyer.query('tickets.get', { id: tickets[0] })).toMatchObject({
      status: 'cancelled',
      refunded: true,
    });

    // The organizer is told why, on their own event.
    expect(await organizer.query('events.get', { id: eventId })).toMatchObject({
      status: 'removed',
      removed: { reason },
    });
    expect(
      (await failure(organizer.mutate('events.update', { id: eventId, title: 'Renamed' }))).message,
    ).toMatch(/removed by a moderator/);

    // The report that led to it is actioned; the removal is in the audit log.
    expect(await Report.findOne({ eventId }).lean()).toMatchObject({ status: 'actioned' });
    expect(await AuditLog.find({ action: 'event.remove', 'target.id': eventId }).lean()).toEqual([
      expect.objectContaining({
        actor: new Types.ObjectId(await userIdOf(admin)),
        details: expect.objectContaining({
          reason,
          before: { status: 'published', removed: null },
          after: expect.objectContaining({ status: 'removed' }),
          retried: false,
          reportsActioned: 1,
        }),
      }),
    ]);

    // Removing again finishes leftovers only: nothing is refunded twice.
    const refundCount = local.stripe.refunds.length;
    const again = (await admin.mutate('admin.removeEvent', { id: eventId, reason: 'Again' })) as {
      ticketsCancelled: number;
      event: { removed: { reason: string } };
    };
    expect(again).toMatchObject({ ticketsCancelled: 0, event: { removed: { reason } } });
    expect(local.stripe.refunds).toHaveLength(refundCount);
    expect(await AuditLog.countDocuments({ action: 'event.remove', 'target.id': eventId })).toBe(2);
  });

  it('a payment that lands after the removal is refunded, not turned into tickets', async () => {
    const admin = await api.signedIn('admin');
    const buyer = await api.signedIn('user');
    const eventId = await storeSaleEvent({ capacity: 3, price: 1800 });
    const hold = await buy(buyer, eventId);
    // The card went through just before the removal; Stripe's webhook arrives just after it.
    const paid = local.stripe.succeed(hold.paymentIntentId as string);
    await admin.mutate('admin.removeEvent', { id: eventId, reason: 'Counterfeit tickets' });
    await local.stripe.deliver(
      local.webhookUrl,
      local.stripe.event('payment_intent.succeeded', paid),
    );

    expect(await Ticket.countDocuments({ eventId })).toBe(0);
    expect(await buyer.query('tickets.holdStatus', { holdId: hold.holdId })).toMatchObject({
      status: 'refunded',
      refunded: 1800,
    });
    expect(
      local.stripe.refunds.filter((refund) => refund.payment_intent === hold.paymentIntentId),
    ).toHaveLength(1);
    expect(await Seat.countDocuments({ eventId })).toBe(0);
  });

  it('restoring lists the event again; tickets cancelled by the removal stay cancelled', async () => {
    const admin = await api.signedIn('admin');
    const organizer = await api.signedIn('organizer');
    const buyer = await api.signedIn('user');
    const visitor = api.agent();
    const eventId = await storeSaleEvent({ organizer, capacity: 1, price: 1000 });
    const [ticket] = await paidTickets(buyer, eventId, 1);

    expect(
      await outcome(admin.mutate('admin.restoreEvent', { id: eventId, reason: 'Not removed' })),
    ).toBe('PRECONDITION_FAILED');
    await admin.mutate('admin.removeEvent', { id: eventId, reason: 'Reported as a scam' });
    const restored = (await admin.mutate('admin.restoreEvent', {
      id: eventId,
      reason: 'Organizer proved the venue booking',
    })) as { status: string; removed: unknown };
    expect(restored).toMatchObject({ status: 'published', removed: null });
    expect(await listed(visitor)).toContain(eventId);
    expect(await outcome(visitor.query('explore.get', { id: eventId }))).toBe('OK');
    expect((await Ticket.findById(ticket).lean())?.status).toBe('cancelled');
    // Its only place was freed by the removal: it is for sale again.
    expect(await visitor.query('explore.ticketOptions', { id: eventId })).toMatchObject({
      remaining: 1,
      soldOut: false,
    });
    expect(await AuditLog.find({ action: 'event.restore', 'target.id': eventId }).lean()).toEqual([
      expect.objectContaining({
        details: expect.objectContaining({
          reason: 'Organizer proved the venue booking',
          before: expect.objectContaining({ status: 'removed' }),
          after: { status: 'published' },
        }),
      }),
    ]);
  });

  it('lists every event with filters: published, removed, reported, organizer', async () => {
    const admin = await api.signedIn('admin');
    const organizer = await api.signedIn('organizer');
    const organizerId = await userIdOf(organizer);
    const [listedEvent, reportedEvent, removedEvent] = [
      await storeSaleEvent({ organizer }),
      await storeSaleEvent({ organizer }),
      await storeSaleEvent({ organizer }),
    ];
    const reporter = await api.signedIn('user');
    await reporter.mutate('moderation.reportEvent', { eventId: reportedEvent, reason: 'spam' });
    await admin.mutate('admin.removeEvent', { id: removedEvent, reason: 'Duplicate listing' });

    const ids = async (filters: Record<string, unknown>) =>
      (
        (await admin.query('admin.events', { organizerId, ...filters })) as {
          items: Array<{ id: string }>;
        }
      ).items.map((event) => event.id);
    expect(await ids({})).toEqual([removedEvent, reportedEvent, listedEvent]);
    expect(await ids({ status: 'published' })).toEqual([reportedEvent, listedEvent]);
    expect(await ids({ status: 'removed' })).toEqual([removedEvent]);
    expect(await ids({ reported: true })).toEqual([reportedEvent]);
    const [reported] = (
      (await admin.query('admin.events', { organizerId, reported: true })) as {
        items: Array<Record<string, unknown>>;
      }
    ).items;
    expect(reported).toMatchObject({ openReports: 1, organizer: { id: organizerId } });
  });
});
