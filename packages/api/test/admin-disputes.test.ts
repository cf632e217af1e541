import { AuditLog, Dispute, Hold, Seat, Ticket } from '@spot/db';
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { verifyTicketPayload } from '../src/tickets/qr.ts';
import { nonce } from './checkin-fixtures.ts';
import { HOUR } from './events-fixtures.ts';
import { type Agent, failure, outcome, useApi } from './harness.ts';
import { buy, storeSaleEvent } from './tickets-fixtures.ts';

const api = useApi('spot_api_admin_disputes');

/** A paid event of `organizer` starting in two hours: on sale, and its doors already open. */
function doorOpenSale(organizer: Agent): Promise<string> {
  return storeSaleEvent({ organizer, capacity: 5, price: 1500, inDays: (2 * HOUR) / (24 * HOUR) });
}

/** One ticket bought and paid through the simulated provider; answers it as stored. */
async function paidTicket(buyer: Agent, eventId: string) {
  const hold = await buy(buyer, eventId);
  await buyer.mutate('payments.simulatePay', { holdId: hold.holdId });
  const ticket = await Ticket.findOne({ holdId: hold.holdId }).lean();
  if (!ticket) throw new Error('no ticket issued');
  return ticket;
}

const scan = (agent: Agent, eventId: string, payload: string) =>
  agent.mutate('checkin.scan', { eventId, payload, nonce: nonce(), gate: 'North' }) as Promise<{
    result: string;
  }>;

interface DisputeView {
  id: string;
  status: string;
  resolution: { outcome: string; note: string | null; newTicketId: string | null } | null;
}

const disputeText = 'The scanner at the north gate refused my ticket.';

describe('disputes', () => {
  it("only the ticket's holder opens one, and only one at a time", async () => {
    const organizer = await api.signedIn('organizer');
    const buyer = await api.signedIn('user');
    const ticket = await paidTicket(buyer, await doorOpenSale(organizer));
    const ticketId = ticket._id.toHexString();
    const input = { ticketId, reason: 'refused_at_door', text: disputeText };

    expect(await outcome(api.agent().mutate('moderation.openDispute', input))).toBe('UNAUTHORIZED');
    // Someone else's ticket looks like no ticket at all, even to its event's organizer.
    expect(
      await outcome((await api.signedIn('user')).mutate('moderation.openDispute', input)),
    ).toBe('NOT_FOUND');
    expect(await outcome(organizer.mutate('moderation.openDispute', input))).toBe('NOT_FOUND');

    const opened = (await buyer.mutate('moderation.openDispute', input)) as DisputeView;
    expect(opened).toMatchObject({ status: 'open', resolution: null });
    const duplicate = await failure(
      buyer.mutate('moderation.openDispute', { ...input, reason: 'charged_no_ticket' }),
    );
    expect(duplicate.data?.code).toBe('CONFLICT');
    expect(await Dispute.countDocuments({ ticketId })).toBe(1);

    // Once resolved, the ticket can be disputed again.
    const admin = await api.signedIn('admin');
    await admin.mutate('admin.resolveDispute', {
      id: opened.id,
      outcome: 'reject',
      note: 'The scan log shows no refusal at that time.',
    });
    expect(await outcome(buyer.mutate('moderation.openDispute', input))).toBe('OK');
    expect(await Dispute.countDocuments({ ticketId })).toBe(2);
  });

  it('the admin sees the ticket, its payment, check-in and refused scans, then refunds it', async () => {
    const organizer = await api.signedIn('organizer');
    const buyer = await api.signedIn('user');
    const admin = await api.signedIn('admin');
    const eventId = await doorOpenSale(organizer);
    const ticket = await paidTicket(buyer, eventId);
    expect((await scan(organizer, eventId, ticket.qrPayload)).result).toBe('ok');
    expect((await scan(organizer, eventId, ticket.qrPayload)).result).toBe('already_used');

    const opened = (await buyer.mutate('moderation.openDispute', {
      ticketId: ticket._id.toHexString(),
      reason: 'refused_at_door',
      text: 'My friend was let in, I was told my ticket was used.',
    })) as DisputeView;
    const queue = (await admin.query('admin.disputes', { status: 'open' })) as {
      items: Array<{ id: string; holder: { id: string } | null; eventTitle: string | null }>;
    };
    expect(queue.items.map((item) => item.id)).toContain(opened.id);

    const hold = await Hold.findById(ticket.holdId).lean();
    expect(await admin.query('admin.dispute', { id: opened.id })).toMatchObject({
      dispute: { id: opened.id, reason: 'refused_at_door', status: 'open' },
      ticket: { id: ticket._id.toHexString(), status: 'used', price: 1500, refundId: null },
      event: { id: eventId, status: 'published' },
      payment: {
        holdId: ticket.holdId?.toHexString(),
        status: 'issued',
        amount: 1500,
        provider: 'simulated',
        paymentIntentId: hold?.paymentIntentId,
        refunds: [],
      },
      checkIn: { gate: 'North', manual: false, scannedBy: expect.stringMatching(/^organizer/) },
      failedScans: [expect.objectContaining({ reason: 'already_used', gate: 'North' })],
      earlierDisputes: [],
    });

    const resolved = (await admin.mutate('admin.resolveDispute', {
      id: opened.id,
      outcome: 'refund',
      note: 'Refunded: the door log shows a second scan of your code.',
    })) as DisputeView;
    expect(resolved).toMatchObject({ status: 'resolved', resolution: { outcome: 'refund' } });
    const refunded = await Ticket.findById(ticket._id).lean();
    // A used ticket stays used (its check-in is history); its price is paid back once.
    expect(refunded).toMatchObject({ status: 'used', refundId: expect.stringMatching(/^re_sim_/) });
    expect((await Hold.findById(ticket.holdId).lean())?.refunds).toEqual([
      expect.objectContaining({ amount: 1500, reason: 'dispute_refund', ticketIds: [ticket._id] }),
    ]);

    // The holder sees the outcome and the note.
    const mine = (await buyer.query('moderation.myDisputes', {
      ticketId: ticket._id.toHexString(),
    })) as { items: DisputeView[] };
    expect(mine.items).toEqual([
      expect.objectContaining({
        id: opened.id,
        status: 'resolved',
        resolution: expect.objectContaining({
          outcome: 'refund',
          note: 'Refunded: the door log shows a second scan of your code.',
        }),
      }),
    ]);
    expect(
      await AuditLog.find({ action: 'dispute.refund', 'target.id': opened.id }).lean(),
    ).toEqual([
      expect.objectContaining({
        details: expect.objectContaining({
          before: { status: 'open' },
          after: { status: 'resolved', outcome: 'refund' },
          ticketId: ticket._id.toHexString(),
        }),
      }),
    ]);
    // A refunded ticket cannot be refunded again through another dispute.
    const second = (await buyer.mutate('moderation.openDispute', {
      ticketId: ticket._id.toHexString(),
      reason: 'event_did_not_happen',
      text: 'And then the show was cancelled.',
    })) as DisputeView;
    expect(
      await outcome(
        admin.mutate('admin.resolveDispute', { id: second.id, outcome: 'refund', note: 'Again?' }),
      ),
    ).toBe('PRECONDITION_FAILED');
    expect((await Dispute.findById(second.id).lean())?.status).toBe('open');
  });

  /** A paid ticket refused at the door, its dispute resolved by a new ticket. */
  async function reissuedTicket() {
    const organizer = await api.signedIn('organizer');
    const buyer = await api.signedIn('user');
    const admin = await api.signedIn('admin');
    const eventId = await doorOpenSale(organizer);
    const old = await paidTicket(buyer, eventId);
    const opened = (await buyer.mutate('moderation.openDispute', {
      ticketId: old._id.toHexString(),
      reason: 'refused_at_door',
      text: 'Somebody copied my QR code from a photo I posted.',
    })) as DisputeView;
    const resolved = (await admin.mutate('admin.resolveDispute', {
      id: opened.id,
      outcome: 'reissue',
      note: 'Here is a new ticket; the old code no longer works.',
    })) as DisputeView;
    return { organizer, buyer, eventId, old, opened, resolved };
  }

  it('a reissued ticket gets a new QR that works at the door; the old one is refused as cancelled', async () => {
    const { organizer, buyer, eventId, old, opened, resolved } = await reissuedTicket();
    const newTicketId = resolved.resolution?.newTicketId as string;
    expect(newTicketId).toMatch(/^[0-9a-f]{24}$/);

    const fresh = await Ticket.findById(newTicketId).lean();
    // Same holder, event, purchase and price; the old ticket keeps neither place nor price.
    expect(fresh).toMatchObject({
      userId: old.userId,
      eventId: old.eventId,
      holdId: old.holdId,
      purchaseKey: old.purchaseKey,
      price: 1500,
      status: 'valid',
    });
    expect(fresh?.ticketCode).not.toBe(old.ticketCode);
    expect(await Ticket.findById(old._id).lean()).toMatchObject({ status: 'cancelled', price: 0 });
    expect((await Ticket.findById(old._id).lean())?.purchaseKey).toBeUndefined();
    expect(await Seat.countDocuments({ eventId, state: 'sold' })).toBe(1);

    // The new QR is ours and names the new code; the holder finds it among their tickets.
    expect(await verifyTicketPayload(fresh?.qrPayload as string)).toMatchObject({
      t: fresh?.ticketCode,
      e: eventId,
    });
    expect(await buyer.query('tickets.get', { id: newTicketId })).toMatchObject({
      status: 'valid',
    });
    const mine = (await buyer.query('moderation.myDisputes', {})) as { items: DisputeView[] };
    expect(mine.items[0]?.resolution).toMatchObject({ outcome: 'reissue', newTicketId });

    // At the door: the old code is refused as cancelled, the new one lets them in.
    expect((await scan(organizer, eventId, old.qrPayload)).result).toBe('cancelled');
    expect((await scan(organizer, eventId, fresh?.qrPayload as string)).result).toBe('ok');
    expect(
      await AuditLog.countDocuments({ action: 'dispute.reissue', 'target.id': opened.id }),
    ).toBe(1);
  });

  it('a place reissued and then cancelled with its event is refunded once, through the new ticket', async () => {
    const { organizer, eventId, old, resolved } = await reissuedTicket();

    await organizer.mutate('events.cancel', { id: eventId });
    expect((await Hold.findById(old.holdId).lean())?.refunds).toEqual([
      expect.objectContaining({
        amount: 1500,
        ticketIds: [new Types.ObjectId(resolved.resolution?.newTicketId as string)],
      }),
    ]);
    expect((await Ticket.findById(old._id).lean())?.refundId).toBeUndefined();
  });

  it('a rejected dispute changes nothing but the dispute; a resolved one cannot be resolved again', async () => {
    const organizer = await api.signedIn('organizer');
    const buyer = await api.signedIn('user');
    const admin = await api.signedIn('admin');
    const ticket = await paidTicket(buyer, await doorOpenSale(organizer));
    const opened = (await buyer.mutate('moderation.openDispute', {
      ticketId: ticket._id.toHexString(),
      reason: 'charged_no_ticket',
      text: 'I was charged twice for this ticket.',
    })) as DisputeView;
    await admin.mutate('admin.resolveDispute', {
      id: opened.id,
      outcome: 'reject',
      note: 'One payment only: the second line on your statement is a pending hold.',
    });
    expect(await Ticket.findById(ticket._id).lean()).toMatchObject({
      status: 'valid',
      price: 1500,
    });
    expect((await Ticket.findById(ticket._id).lean())?.refundId).toBeUndefined();
    for (const outcomeName of ['refund', 'reissue', 'reject']) {
      expect(
        await outcome(
          admin.mutate('admin.resolveDispute', {
            id: opened.id,
            outcome: outcomeName,
            note: 'Twice',
          }),
        ),
      ).toBe('PRECONDITION_FAILED');
    }
    expect(await AuditLog.countDocuments({ 'target.id': opened.id })).toBe(1);
    const mine = (await buyer.query('moderation.myDisputes', {})) as { items: DisputeView[] };
    expect(mine.items).toEqual([
      expect.objectContaining({
        status: 'resolved',
        resolution: expect.objectContaining({ outcome: 'reject' }),
      }),
    ]);
    // Reissuing a used ticket is refused, and the dispute stays open.
    const door = await doorOpenSale(organizer);
    const used = await paidTicket(buyer, door);
    await scan(organizer, door, used.qrPayload);
    const usedDispute = (await buyer.mutate('moderation.openDispute', {
      ticketId: used._id.toHexString(),
      reason: 'refused_at_door',
      text: 'They scanned it and then sent me away anyway.',
    })) as DisputeView;
    expect(
      await outcome(
        admin.mutate('admin.resolveDispute', {
          id: usedDispute.id,
          outcome: 'reissue',
          note: 'New one',
        }),
      ),
    ).toBe('PRECONDITION_FAILED');
    expect((await Dispute.findById(usedDispute.id).lean())?.status).toBe('open');
    expect(await Ticket.countDocuments({ holdId: used.holdId })).toBe(1);
  });
});
