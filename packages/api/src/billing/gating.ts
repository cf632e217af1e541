import { TRPCError } from '@trpc/server';
import type { Context, SessionUser } from '../trpc.ts';

/**
 * Pro-only features (enforced server-side with `requirePro`, which `analytics.timeSeries`,
 * `analytics.funnel` and the CSV exports in analytics/export.ts call first):
 * - time series of an event's sales and views (per hour/day) and check-ins (per 5 minutes);
 * - the conversion funnel (views → ticket-option opens → orders → orders at the door);
 * - CSV exports (bookings, check-ins).
 * Free organizers keep everything needed to run an event: per-event totals (sold, remaining,
 * views, check-ins), live counters, bookings list and check-in. Admins are never gated.
 */

export const UPGRADE_HINT =
  'Upgrade to Spot Pro on your billing page (Organizer → Billing) to use it.';

/** Throws FORBIDDEN with an upgrade hint unless the caller is Pro (or an admin). */
export function requirePro(
  ctx: Context,
  feature = 'This feature',
): asserts ctx is Context & { user: SessionUser } {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
  if (ctx.user.role === 'admin' || ctx.user.isPremium) return;
  throw new TRPCError({
    code: 'FORBIDDEN',
    message: `${feature} is part of Spot Pro. ${UPGRADE_HINT}`,
  });
}
