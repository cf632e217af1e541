import { CheckIn, Dispute, Event, FailedScan, Hold, Ticket, User } from '@spot/db';
import { TRPCError } from '@trpc/server';
import { Types } from 'mongoose';
import { eventStatus, type StoredEvent } from '../events/output.ts';
import { newestFirst } from '../lib/cursor.ts';
import { atomically } from '../lib/transactions.ts';
import { type DisputeView, toDisputeView } from '../moderation/service.ts';
import { refundTicket } from '../tickets/refunds.ts';
import { reissueTicket } from '../tickets/reissue.ts';
import { cancelValidTicket } from '../tickets/withdrawal.ts';
import type { Context, SessionUser } from '../trpc.ts';
import { recordAdminAction } from './audit.ts';
import type { DisputesInput, ResolveDisputeInput } from './schemas.ts';

type AdminContext = Context & { user: SessionUser };
type StoredDispute = Awaited<ReturnType<typeof findDispute>>;

const disputeNotFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'Dispute not found.' });
const refused = (message: string) => new TRPCError({ code: 'PRECONDITION_FAILED', message });

async function findDispute(id: string | Types.ObjectId) {
  const dispute = await Dispute.findById(id).lean();
  if (!dispute) throw disputeNotFound();
  return dispute as typeof dispute & { createdAt: Date };
}

async function namesOf(
  ids: Array<Types.ObjectId | null | undefined>,
): Promise<Map<string, string>> {
  const users = await User.find({ _id: { $in: ids.filter(Boolean) } }, { name: 1 }).lean();
  return new Map(users.map((user) => [user._id.toHexString(), user.name]));
}

export interface QueuedDispute extends DisputeView {
  holder: { id: string; name: string; email: string } | null;
  eventTitle: string | null;
}

/** Disputes, newest first; open ones by default in the console. */
export async function listDisputes(
  input: DisputesInput,
): Promise<{ items: QueuedDispute[]; nextCursor: string | null }> {
  const { cursor, limit, ...filters } = input;
  const scope = `admin.disputes:${JSON.stringify(filters)}`;
  const filter: Record<string, unknown> = { ...(filters.status && { status: filters.status }) };
  const page = await newestFirst(Dispute, filter, { cursor, limit }, scope);
  const [holders, events] = await Promise.all([
    User.find({ _id: { $in: page.rows.map((row) => row.userId) } }, { name: 1, email: 1 }).lean(),
    Event.find({ _id: { $in: page.rows.map((row) => row.eventId) } }, { title: 1 }).lean(),
  ]);
  const holderById = new Map(holders.map((user) => [user._id.toHexString(), user]));
  const titleById = new Map(events.map((event) => [event._id.toHexString(), event.title]));
  return {
    items: page.rows.map((row) => {
      const holder = holderById.get(row.userId.toHexString());
      return {
        ...toDisputeView(row),
        holder: holder
          ? { id: holder._id.toHexString(), name: holder.name, email: holder.email }
          : null,
        eventTitle: titleById.get(row.eventId.toHexString()) ?? null,
      };
    }),
    nextCursor: page.nextCursor,
  };
}

/**
 * Everything an admin needs to judge a dispute: the ticket, its purchase and refunds, its
 * check-in and every refused scan of it, and the ticket's earlier disputes.
 */
export async function getDispute(id: string) {
  const dispute = await findDispute(id);
  const [ticket, event, holder, checkIn, failedScans, history] = await Promise.all([
    Ticket.findById(dispute.ticketId).lean(),
    Event.findById(dispute.eventId).lean() as Promise<StoredEvent | null>,
    User.findById(dispute.userId, { name: 1, email: 1, status: 1 }).lean(),
    CheckIn.findOne({ ticketId: dispute.ticketId }).lean(),
    FailedScan.find({ ticketId: dispute.ticketId }).sort({ at: -1 }).limit(50).lean(),
    Dispute.find({ ticketId: dispute.ticketId, _id: { $ne: dispute._id } })
      .sort({ createdAt: -1 })
      .lean(),
  ]);
  const hold = ticket?.holdId ? await Hold.findById(ticket.holdId).lean() : null;
  const names = await namesOf([
    checkIn?.scannedBy,
    ticket?.cancelledBy,
    dispute.resolution?.by,
    ...failedScans.map((scan) => scan.scannedBy),
  ]);
  const nameOf = (userId: Types.ObjectId | null | undefined) =>
    userId ? (names.get(userId.toHexString()) ?? 'Unknown') : null;
  return {
    dispute: { ...toDisputeView(dispute), resolvedBy: nameOf(dispute.resolution?.by) },
    holder: holder
      ? {
          id: holder._id.toHexString(),
          name: holder.name,
          email: holder.email,
          status: holder.status,
        }
      : null,
    ticket: ticket
      ? {
          id: ticket._id.toHexString(),
          ticketCode: ticket.ticketCode,
          status: ticket.status,
          price: ticket.price ?? 0,
          currency: ticket.currency ?? null,
          createdAt: (ticket as { createdAt?: Date }).createdAt ?? ticket._id.getTimestamp(),
          checkedInAt: ticket.checkedInAt ?? null,
          cancelledAt: ticket.cancelledAt ?? null,
          cancelledBy: nameOf(ticket.cancelledBy),
          refundId: ticket.refundId ?? null,
        }
      : null,
    event: event
      ? {
          id: event._id.toHexString(),
          title: event.title,
          startDate: event.startDate,
          endDate: event.endDate,
          city: event.location?.city ?? '',
          status: eventStatus(event),
        }
      : null,
    payment: hold
      ? {
          holdId: hold._id.toHexString(),
          status: hold.status,
          quantity: hold.quantity,
          amount: hold.amount,
          currency: hold.currency,
          provider: hold.provider,
          paymentIntentId: hold.paymentIntentId ?? null,
          issuedAt: hold.issuedAt ?? null,
          outcome: hold.outcome ?? null,
          refunds: (hold.refunds ?? []).map((refund) => ({
            refundId: refund.refundId,
            amount: refund.amount,
            reason: refund.reason,
            at: refund.at,
            ofThisTicket: (refund.ticketIds ?? []).some((ticketId) =>
              ticketId.equals(dispute.ticketId),
            ),
          })),
        }
      : null,
    checkIn: checkIn
      ? {
          scannedAt: checkIn.scannedAt,
          scannedBy: nameOf(checkIn.scannedBy),
          gate: checkIn.gate ?? null,
          device: checkIn.device ?? null,
          manual: checkIn.manual,
        }
      : null,
    failedScans: failedScans.map((scan) => ({
      id: scan._id.toHexString(),
      at: scan.at,
      reason: scan.reason,
      scannedBy: nameOf(scan.scannedBy),
      gate: scan.gate ?? null,
      device: scan.device ?? null,
    })),
    earlierDisputes: history.map((row) => toDisputeView(row as StoredDispute)),
  };
}

/** Refund: the ticket is cancelled if still valid (place freed), then its price paid back. */
async function refundDisputedTicket(ctx: AdminContext, ticketId: Types.ObjectId): Promise<void> {
  const ticket = await Ticket.findById(ticketId).lean();
  if (!ticket) throw refused('The ticket no longer exists; reject the dispute instead.');
  if (ticket.refundId) throw refused('This ticket was already refunded.');
  if (!ticket.price) throw refused('This ticket was free: there is nothing to refund.');
  const current = (await cancelValidTicket(ticket._id, ctx.user.id)) ?? ticket;
  await refundTicket(current, 'dispute_refund');
}

/**
 * Resolves an open dispute with an outcome and a note the holder sees (moderation.myDisputes):
 * - refund: the ticket is cancelled if still valid and refunded through the payment provider;
 * - reissue: a new ticket (new code and QR) replaces a valid one, whose QR is refused from now;
 * - reject: nothing changes but the dispute.
 * A refund happens before the dispute is marked resolved: if the provider fails, the dispute
 * stays open and resolving it again retries (refunds are idempotent per ticket).
 */
export async function resolveDispute(ctx: AdminContext, input: ResolveDisputeInput) {
  const dispute = await findDispute(input.id);
  if (dispute.status !== 'open') throw refused('This dispute is already resolved.');
  if (input.outcome === 'refund') await refundDisputedTicket(ctx, dispute.ticketId);
  const resolved = await atomically(async (session) => {
    const newTicket =
      input.outcome === 'reissue'
        ? await reissueTicket(dispute.ticketId, ctx.user.id, session)
        : null;
    const resolution = {
      outcome: input.outcome,
      note: input.note,
      by: new Types.ObjectId(ctx.user.id),
      at: new Date(),
      ...(newTicket && { newTicketId: newTicket._id }),
    };
    const updated = (await Dispute.findOneAndUpdate(
      { _id: dispute._id, status: 'open' },
      { $set: { status: 'resolved', resolution } },
      { session, returnDocument: 'after' },
    ).lean()) as StoredDispute | null;
    if (!updated) {
      throw new TRPCError({ code: 'CONFLICT', message: 'The dispute changed meanwhile; reload.' });
    }
    await recordAdminAction(
      ctx,
      {
        action: `dispute.${input.outcome}`,
        target: { kind: 'dispute', id: dispute._id },
        before: { status: 'open' },
        after: { status: 'resolved', outcome: input.outcome },
        reason: input.note,
        extra: {
          ticketId: dispute.ticketId.toHexString(),
          ...(newTicket && { newTicketId: newTicket._id.toHexString() }),
        },
      },
      session,
    );
    return updated;
  });
  return toDisputeView(resolved);
}
