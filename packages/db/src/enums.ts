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

export const ANALYTICS_TYPES = ['view', 'click', 'checkin'] as const;
export type AnalyticsType = (typeof ANALYTICS_TYPES)[number];
