import { z } from 'zod';
import { eventIdSchema, pageFields } from '../events/schemas.ts';
import { objectIdSchema as objectId } from '../lib/object-id.ts';

export const MAX_TICKETS_PER_PURCHASE = 10;

export const purchaseInput = z.object({
  eventId: eventIdSchema,
  quantity: z
    .number({ error: 'quantity must be a number' })
    .int('quantity must be a whole number')
    .min(1, 'quantity must be at least 1')
    .max(MAX_TICKETS_PER_PURCHASE, `quantity must be at most ${MAX_TICKETS_PER_PURCHASE}`),
});
export type PurchaseInput = z.infer<typeof purchaseInput>;

export const holdIdInput = z.object({ holdId: objectId('holdId') });
export const ticketIdInput = z.object({ id: objectId('id') });

export const bookingsInput = z.object({
  eventId: eventIdSchema,
  /** Part of the attendee's name or email, any case; empty lists every booking. */
  search: z
    .string({ error: 'search must be text' })
    .trim()
    .max(100, 'search must be at most 100 characters')
    .optional(),
  ...pageFields,
});
export type BookingsInput = z.infer<typeof bookingsInput>;
