/**
 * The one source of truth for every enumerated value: Mongoose schemas validate against these
 * lists and the API's zod schemas are built from them.
 */
export const ROLES = ['user', 'organizer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const USER_STATUSES = ['active', 'suspended'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const EVENT_CATEGORIES = [
  'music',
  'sports',
  'arts',
  'food',
  'tech',
  'business',
  'community',
  'education',
  'nightlife',
  'other',
] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

export const TICKET_STATUSES = ['valid', 'used', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const SUBSCRIPTION_PLANS = ['free', 'pro'] as const;
export type SubscriptionPlan = (typeof SUBSCRIPTION_PLANS)[number];

export const SUBSCRIPTION_STATUSES = ['active', 'past_due', 'canceled', 'incomplete'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** Why a scan was refused at the door (the check-in contract's result codes other than `ok`). */
export const SCAN_FAILURES = [
  'already_used',
  'wrong_event',
  'cancelled',
  'unknown_ticket',
  'invalid_signature',
  'not_allowed',
] as const;
export type ScanFailure = (typeof SCAN_FAILURES)[number];

export const ANALYTICS_TYPES = ['view', 'click', 'checkin'] as const;
export type AnalyticsType = (typeof ANALYTICS_TYPES)[number];

/** ISO 4217 codes (lower case, as Stripe writes them) an event may be priced in. */
export const CURRENCIES = ['eur', 'usd', 'gbp', 'chf', 'cad'] as const;
export type Currency = (typeof CURRENCIES)[number];

/**
 * A seat (one place of an event) is `held` while its buyer pays, with an expiry, or `sold` once
 * a ticket was issued on it. A free place has no seat document at all.
 */
export const SEAT_STATES = ['held', 'sold'] as const;
export type SeatState = (typeof SEAT_STATES)[number];

/**
 * pending: places held, waiting for payment (past `expiresAt` it counts as expired);
 * issued: tickets written; released: payment failed or was abandoned, places returned;
 * refunded: paid but no place was left (or the whole order was refunded).
 */
export const HOLD_STATUSES = ['pending', 'issued', 'released', 'refunded'] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

export const PAYMENT_PROVIDERS = ['none', 'simulated', 'stripe'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

/** Why a signed-in user reports an event to the moderators. */
export const REPORT_REASONS = ['scam', 'fake', 'offensive', 'spam', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** open: waiting in the admins' queue; dismissed: nothing wrong found; actioned: acted upon. */
export const REPORT_STATUSES = ['open', 'dismissed', 'actioned'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** What a ticket holder disputes. */
export const DISPUTE_REASONS = [
  'charged_no_ticket',
  'refused_at_door',
  'event_did_not_happen',
] as const;
export type DisputeReason = (typeof DISPUTE_REASONS)[number];

export const DISPUTE_STATUSES = ['open', 'resolved'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/**
 * How an admin resolves a dispute: refund the ticket (cancelled if still valid), reissue it (a
 * new code and QR, the old one cancelled), or reject the claim.
 */
export const DISPUTE_OUTCOMES = ['refund', 'reissue', 'reject'] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];
