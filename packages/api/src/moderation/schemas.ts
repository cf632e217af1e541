import { DISPUTE_REASONS, REPORT_REASONS } from '@spot/db';
import { z } from 'zod';
import { eventIdSchema, pageFields } from '../events/schemas.ts';
import { optionalText } from '../explore/schemas.ts';
import { objectIdSchema as objectId } from '../lib/object-id.ts';

export const reportEventInput = z.object({
  eventId: eventIdSchema,
  reason: z.enum(REPORT_REASONS, {
    error: `reason must be one of: ${REPORT_REASONS.join(', ')}`,
  }),
  text: optionalText('text', 2000),
});
export type ReportEventInput = z.infer<typeof reportEventInput>;

export const openDisputeInput = z.object({
  ticketId: objectId('ticketId'),
  reason: z.enum(DISPUTE_REASONS, {
    error: `reason must be one of: ${DISPUTE_REASONS.join(', ')}`,
  }),
  text: z
    .string({ error: 'Tell us what happened' })
    .trim()
    .min(10, 'Tell us what happened in at least 10 characters')
    .max(2000, 'At most 2000 characters'),
});
export type OpenDisputeInput = z.infer<typeof openDisputeInput>;

export const myDisputesInput = z
  .object({ ticketId: objectId('ticketId').optional(), ...pageFields })
  .prefault({});
export type MyDisputesInput = z.infer<typeof myDisputesInput>;
