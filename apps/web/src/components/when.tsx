'use client';

import { useHydrated } from '@spot/ui';
import { formatRange } from '../lib/format.ts';

/**
 * An event's dates: in UTC in the server's HTML (the server does not know the visitor's zone),
 * then in the browser's own time zone once hydrated.
 */
export function When({ start, end }: { start: Date; end: Date }) {
  const hydrated = useHydrated();
  return (
    <time dateTime={start.toISOString()}>
      {hydrated ? formatRange(start, end) : `${formatRange(start, end, 'UTC')} UTC`}
    </time>
  );
}
