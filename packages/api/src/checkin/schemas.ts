import { z } from 'zod';
import { eventIdSchema, pageFields } from '../events/schemas.ts';
import { objectIdSchema } from '../lib/object-id.ts';

/**
 * Chosen by the scanner for each scan attempt and kept when it is retried (network hiccup,
 * offline queue): the same nonce gets the original answer back instead of `already_used`.
 */
const nonceSchema = z
  .string({ error: 'nonce is required' })
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'nonce must be 8 to 64 letters, digits, - or _');

/** Where the scan happened, for the check-in record and disputes ("which door?"). */
const scanPlace = {
  gate: z.string().trim().max(60, 'gate must be at most 60 characters').optional(),
  device: z.string().trim().max(120, 'device must be at most 120 characters').optional(),
};

export const scanInput = z.object({
  eventId: eventIdSchema,
  payload: z
    .string({ error: 'payload is required' })
    .min(1, 'payload is required')
    .max(2000, 'payload is too long to be a ticket'),
  nonce: nonceSchema,
  ...scanPlace,
});
export type ScanInput = z.infer<typeof scanInput>;

export const manualCheckInInput = z.object({
  eventId: eventIdSchema,
  ticketId: objectIdSchema('ticketId'),
  nonce: nonceSchema,
  ...scanPlace,
});
export type ManualCheckInInput = z.infer<typeof manualCheckInInput>;

export const undoCheckInInput = z.object({
  eventId: eventIdSchema,
  ticketId: objectIdSchema('ticketId'),
  reason: z.string().trim().max(300, 'reason must be at most 300 characters').optional(),
});
export type UndoCheckInInput = z.infer<typeof undoCheckInInput>;

export const attendeeSearchInput = z.object({
  eventId: eventIdSchema,
  query: z
    .string({ error: 'query is required' })
    .trim()
    .min(2, 'type at least 2 characters')
    .max(100, 'query must be at most 100 characters'),
});
export type AttendeeSearchInput = z.infer<typeof attendeeSearchInput>;

export const failedScansInput = z.object({ eventId: eventIdSchema, ...pageFields });
export type FailedScansInput = z.infer<typeof failedScansInput>;

export const eventIdOnly = z.object({ eventId: eventIdSchema });

export const addStaffInput = z.object({
  eventId: eventIdSchema,
  email: z.email('email must be an email address').trim().toLowerCase(),
});
export type AddStaffInput = z.infer<typeof addStaffInput>;

export const removeStaffInput = z.object({
  eventId: eventIdSchema,
  userId: objectIdSchema('userId'),
});
export type RemoveStaffInput = z.infer<typeof removeStaffInput>;
