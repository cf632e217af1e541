import {
  DISPUTE_OUTCOMES,
  DISPUTE_STATUSES,
  REPORT_STATUSES,
  ROLES,
  USER_STATUSES,
} from '@spot/db';
import { z } from 'zod';
import { dateSchema, isValidDate, pageFields } from '../events/schemas.ts';
import { optionalText } from '../explore/schemas.ts';
import { objectIdSchema as objectId } from '../lib/object-id.ts';

/** Why an admin acts: kept in the audit log, and shown to whom it concerns. */
function reasonSchema(label = 'reason') {
  return z
    .string({ error: `${label} is required` })
    .trim()
    .min(3, `${label} must be at least 3 characters`)
    .max(500, `${label} must be at most 500 characters`);
}

export const idInput = z.object({ id: objectId('id') });

export const usersInput = z
  .object({
    /** Part of the name or email. */
    query: optionalText('query', 100),
    role: z.enum(ROLES, { error: `role must be one of: ${ROLES.join(', ')}` }).optional(),
    status: z
      .enum(USER_STATUSES, { error: `status must be one of: ${USER_STATUSES.join(', ')}` })
      .optional(),
    ...pageFields,
  })
  .prefault({});
export type UsersInput = z.infer<typeof usersInput>;

/** Admins are made by the CLI only, so the console moves accounts between these two. */
export const ASSIGNABLE_ROLES = ['user', 'organizer'] as const;

export const setRoleInput = z.object({
  id: objectId('id'),
  role: z.enum(ASSIGNABLE_ROLES, { error: 'role must be user or organizer' }),
  reason: reasonSchema().optional(),
});
export type SetRoleInput = z.infer<typeof setRoleInput>;

export const moderationInput = z.object({ id: objectId('id'), reason: reasonSchema() });
export type ModerationInput = z.infer<typeof moderationInput>;

/** published: listed (published, neither cancelled nor removed); hidden: organizer suspended. */
export const EVENT_FILTERS = ['published', 'removed', 'hidden'] as const;

export const eventsInput = z
  .object({
    status: z
      .enum(EVENT_FILTERS, { error: `status must be one of: ${EVENT_FILTERS.join(', ')}` })
      .optional(),
    /** Only events with open reports. */
    reported: z.boolean({ error: 'reported must be true or false' }).optional(),
    organizerId: objectId('organizerId').optional(),
    /** Part of the title. */
    text: optionalText('text', 100),
    ...pageFields,
  })
  .prefault({});
export type EventsInput = z.infer<typeof eventsInput>;

export const reportsInput = z
  .object({
    status: z
      .enum(REPORT_STATUSES, { error: `status must be one of: ${REPORT_STATUSES.join(', ')}` })
      .optional(),
    eventId: objectId('eventId').optional(),
    ...pageFields,
  })
  .prefault({});
export type ReportsInput = z.infer<typeof reportsInput>;

export const resolveReportInput = z.object({
  id: objectId('id'),
  status: z.enum(['dismissed', 'actioned'], { error: 'status must be dismissed or actioned' }),
  note: optionalText('note', 1000),
});
export type ResolveReportInput = z.infer<typeof resolveReportInput>;

export const disputesInput = z
  .object({
    status: z
      .enum(DISPUTE_STATUSES, { error: `status must be one of: ${DISPUTE_STATUSES.join(', ')}` })
      .optional(),
    ...pageFields,
  })
  .prefault({});
export type DisputesInput = z.infer<typeof disputesInput>;

export const resolveDisputeInput = z.object({
  id: objectId('id'),
  outcome: z.enum(DISPUTE_OUTCOMES, {
    error: `outcome must be one of: ${DISPUTE_OUTCOMES.join(', ')}`,
  }),
  /** Shown to the ticket holder. */
  note: z
    .string({ error: 'note is required' })
    .trim()
    .min(3, 'note must be at least 3 characters')
    .max(1000, 'note must be at most 1000 characters'),
});
export type ResolveDisputeInput = z.infer<typeof resolveDisputeInput>;

const MAX_PERIOD_DAYS = 5 * 366;

/** A period [from, to): at most about five years. */
export const periodInput = z.object({ from: dateSchema('from'), to: dateSchema('to') }).superRefine(
  ({ from, to }, context) => {
    if (!isValidDate(from) || !isValidDate(to)) return;
    if (to <= from)
      context.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
    else if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 24 * 60 * 60 * 1000) {
      context.addIssue({ code: 'custom', path: ['to'], message: 'The period is at most 5 years' });
    }
  },
  // Also when other fields failed, so one answer names every bad field.
  { when: () => true },
);
export type PeriodInput = z.infer<typeof periodInput>;

export const auditLogInput = z
  .object({
    actorId: objectId('actorId').optional(),
    /** An action, or its start: `user.` lists every action on users. */
    action: optionalText('action', 100),
    targetKind: optionalText('targetKind', 50),
    targetId: optionalText('targetId', 100),
    ...pageFields,
  })
  .prefault({});
export type AuditLogInput = z.infer<typeof auditLogInput>;
