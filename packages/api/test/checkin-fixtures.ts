import { randomUUID } from 'node:crypto';
import { Ticket } from '@spot/db';
import { Types } from 'mongoose';
import { signTicketPayload } from '../src/tickets/qr.ts';
import { HOUR, storeEvents } from './events-fixtures.ts';

export interface IssuedTicket {
  id: string;
  code: string;
  /** The QR payload, as the attendee's phone shows it. */
  payload: string;
}

/** A published event of `organizerId` whose doors are open (it starts in half an hour). */
export async function openDoorEvent(
  organizerId: string,
  title = 'Door test night',
): Promise<string> {
  const [id] = await storeEvents([
    {
      title,
      startDate: new Date(Date.now() + HOUR / 2),
      organizerId: new Types.ObjectId(organizerId),
    },
  ]);
  return id as string;
}

/**
 * Valid tickets with signed QR payloads, one per holder, as the issuance writes them but without
 * the holder's name (as tickets from before it was stored): the door looks the account up.
 */
export async function issueTickets(eventId: string, holderIds: string[]): Promise<IssuedTicket[]> {
  const drafts = await Promise.all(
    holderIds.map(async (userId) => {
      const ticketCode = randomUUID();
      return {
        eventId,
        userId,
        ticketCode,
        qrPayload: await signTicketPayload(ticketCode, eventId),
        status: 'valid',
      };
    }),
  );
  const written = await Ticket.insertMany(drafts);
  return written.map((ticket) => ({
    id: ticket._id.toHexString(),
    code: ticket.ticketCode,
    payload: ticket.qrPayload,
  }));
}

let nonces = 0;
/** A fresh scan-attempt id, as the scanner makes one per attempt. */
export const nonce = () => `test-${Date.now().toString(36)}-${++nonces}`;
