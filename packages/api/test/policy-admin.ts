import { DAY } from './events-fixtures.ts';
import { type DomainPolicy, UNKNOWN_ID } from './policy-fixtures.ts';

const reason = 'Checked by the access matrix';

/**
 * The admin procedures (and the moderation procedures users bring to the admins) in the
 * access-policy test (see access-policy.test.ts). The matrix calls every mutation as an admin
 * with its valid sample, so those name an unknown id: they end in NOT_FOUND and suspend, remove or
 * resolve nothing the other cases rely on.
 */
export const ADMIN_POLICY: DomainPolicy = {
  samples: {
    'admin.users': {
      valid: { query: 'matrix', limit: 5 },
      invalid: { role: 'superuser', limit: 0 },
      invalidFields: ['role', 'limit'],
    },
    'admin.user': { valid: { id: UNKNOWN_ID }, invalid: { id: 'x' }, invalidFields: ['id'] },
    'admin.setRole': {
      valid: { id: UNKNOWN_ID, role: 'organizer' },
      // Admins are made by the CLI only: the console cannot grant the role.
      invalid: { id: 'x', role: 'admin' },
      invalidFields: ['id', 'role'],
    },
    'admin.suspend': {
      valid: { id: UNKNOWN_ID, reason },
      invalid: { id: 1, reason: '' },
      invalidFields: ['id', 'reason'],
    },
    'admin.unsuspend': {
      valid: { id: UNKNOWN_ID, reason },
      invalid: { reason: 'z'.repeat(501) },
      invalidFields: ['id', 'reason'],
    },
    'admin.events': {
      valid: { status: 'removed', reported: true, limit: 5 },
      invalid: { status: 'gone', reported: 'yes', organizerId: 'x' },
      invalidFields: ['status', 'reported', 'organizerId'],
    },
    'admin.removeEvent': {
      valid: { id: UNKNOWN_ID, reason },
      invalid: { id: 'x', reason: 'no' },
      invalidFields: ['id', 'reason'],
    },
    'admin.restoreEvent': {
      valid: { id: UNKNOWN_ID, reason },
      invalid: { id: 'x' },
      invalidFields: ['id', 'reason'],
    },
    'admin.reports': {
      valid: { status: 'open', limit: 5 },
      invalid: { status: 'closed', eventId: 'x' },
      invalidFields: ['status', 'eventId'],
    },
    'admin.resolveReport': {
      valid: { id: UNKNOWN_ID, status: 'dismissed' },
      invalid: { id: 'x', status: 'open', note: 'z'.repeat(1001) },
      invalidFields: ['id', 'status', 'note'],
    },
    'admin.disputes': {
      valid: { status: 'open', limit: 5 },
      invalid: { status: 'pending', limit: 100 },
      invalidFields: ['status', 'limit'],
    },
    'admin.dispute': { valid: { id: UNKNOWN_ID }, invalid: { id: 42 }, invalidFields: ['id'] },
    'admin.resolveDispute': {
      valid: { id: UNKNOWN_ID, outcome: 'reject', note: reason },
      invalid: { id: 'x', outcome: 'refund-twice', note: '' },
      invalidFields: ['id', 'outcome', 'note'],
    },
    'admin.platformAnalytics': {
      valid: { from: new Date(Date.now() - 30 * DAY), to: new Date() },
      invalid: { from: 'someday', to: 5 },
      invalidFields: ['from', 'to'],
    },
    'admin.auditLog': {
      valid: { action: 'user.', limit: 5 },
      invalid: { actorId: 'x', limit: 0 },
      invalidFields: ['actorId', 'limit'],
    },
    'moderation.reportEvent': {
      valid: { eventId: UNKNOWN_ID, reason: 'scam' },
      invalid: { eventId: 'x', reason: 'boring', text: 'z'.repeat(2001) },
      invalidFields: ['eventId', 'reason', 'text'],
    },
    'moderation.openDispute': {
      valid: { ticketId: UNKNOWN_ID, reason: 'refused_at_door', text: 'The door said cancelled.' },
      invalid: { ticketId: 'x', reason: 'meh', text: 'short' },
      invalidFields: ['ticketId', 'reason', 'text'],
    },
    'moderation.myDisputes': {
      valid: { limit: 5 },
      invalid: { ticketId: 'x', limit: 0 },
      invalidFields: ['ticketId', 'limit'],
    },
  },
  ownerScoped: [],
};
