import type { CheckinUpdate, SalesUpdate } from '@spot/api/realtime';
import type { RouterOutputs } from '../trpc/types.ts';

/** What `analytics.live` answers: the numbers the live page starts from. */
export type LiveNumbers = RouterOutputs['analytics']['live'];

/** As many scans as `analytics.live` lists. */
const RECENT_SCANS = 10;

/**
 * The numbers after a check-in (or its undo) the socket announced. A null count means Redis
 * could not say: the count moves by one meanwhile, and the caller reloads the real one.
 */
export function withCheckin(numbers: LiveNumbers, update: CheckinUpdate): LiveNumbers {
  const step = update.change === 'checked_in' ? 1 : -1;
  const others = numbers.recentScans.filter((scan) => scan.ticketId !== update.scan.ticketId);
  return {
    ...numbers,
    checkins: update.checkins ?? Math.max(0, numbers.checkins + step),
    recentScans:
      update.change === 'checked_in' ? [update.scan, ...others].slice(0, RECENT_SCANS) : others,
  };
}

export function withSales(numbers: LiveNumbers, update: SalesUpdate): LiveNumbers {
  return update.sold === null ? numbers : { ...numbers, sold: update.sold };
}

/** Check-ins as a share of tickets sold, 0..100. */
export function checkedInPercent(numbers: Pick<LiveNumbers, 'checkins' | 'sold'>): number {
  if (numbers.sold <= 0) return 0;
  return Math.min(100, Math.round((numbers.checkins / numbers.sold) * 100));
}
