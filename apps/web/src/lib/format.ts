import type {
  Category,
  DisputeOutcome,
  DisputeReason,
  EventStatus,
  ReportReason,
} from '../trpc/types.ts';

/**
 * How each category reads on screen. Typed by the API's own enum: a category added on the server
 * fails the typecheck here until it gets a label.
 */
export const CATEGORY_LABELS: Record<Category, string> = {
  music: 'Music',
  sports: 'Sports',
  arts: 'Arts',
  food: 'Food & drink',
  tech: 'Tech',
  business: 'Business',
  community: 'Community',
  education: 'Education',
  nightlife: 'Nightlife',
  other: 'Other',
};

export const CATEGORIES = Object.keys(CATEGORY_LABELS) as Category[];

export function categoryLabel(category: string): string {
  return CATEGORY_LABELS[category as Category] ?? category;
}

export const STATUS_LABELS: Record<EventStatus, string> = {
  draft: 'Draft',
  published: 'Published',
  ended: 'Ended',
  cancelled: 'Cancelled',
  removed: 'Removed by a moderator',
};

/** Why an event is reported (typed by the API's enum, like the categories). */
export const REPORT_REASON_LABELS: Record<ReportReason, string> = {
  scam: 'Scam or fraud',
  fake: 'Fake event',
  offensive: 'Offensive content',
  spam: 'Spam',
  other: 'Something else',
};

export const DISPUTE_REASON_LABELS: Record<DisputeReason, string> = {
  charged_no_ticket: 'I was charged but have no ticket',
  refused_at_door: 'I was refused at the door',
  event_did_not_happen: 'The event did not happen',
};

export const DISPUTE_OUTCOME_LABELS: Record<DisputeOutcome, string> = {
  refund: 'Refunded',
  reissue: 'Ticket reissued',
  reject: 'Rejected',
};

/** The place on OpenStreetMap, with a marker. */
export function mapUrl(lat: number, lng: number): string {
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=15/${lat}/${lng}`;
}

/** "Sat, 14 Jun 2031, 19:00" */
const DATE_AND_TIME: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
};

/** "Sat, 14 Jun 2031, 19:00 – 23:00" in the given time zone (the viewer's when omitted). */
export function formatRange(start: Date, end: Date, timeZone?: string): string {
  const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone });
  const full = new Intl.DateTimeFormat('en-GB', { ...DATE_AND_TIME, timeZone });
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone });
  const sameDay = day.format(start) === day.format(end);
  return `${full.format(start)} – ${sameDay ? time.format(end) : full.format(end)}`;
}

/** One line of plain text for meta descriptions and cards. */
export function excerpt(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** An amount in minor units (cents) of `currency`, as the server priced it: "€25.00". */
export function formatMoney(amount: number, currency: string): string {
  const format = new Intl.NumberFormat('en', {
    style: 'currency',
    currency: currency.toUpperCase(),
  });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

/** A date and time in the viewer's zone: "Sat, 14 Jun 2031, 19:00". */
export function formatDateTime(date: Date): string {
  return new Intl.DateTimeFormat('en-GB', DATE_AND_TIME).format(date);
}
