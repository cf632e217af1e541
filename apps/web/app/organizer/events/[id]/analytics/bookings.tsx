'use client';

import { useTRPC } from '@spot/ui';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { PagedTable } from '../../../../../src/components/paged-table.tsx';
import { formatDateTime, formatMoney } from '../../../../../src/lib/format.ts';
import type { RouterOutputs } from '../../../../../src/trpc/types.ts';
import { ApiProblem } from '../../../_components/api-problem.tsx';
import styles from './analytics.module.css';

type Booking = RouterOutputs['tickets']['bookings']['items'][number];

const STATUS: Record<Booking['status'], string> = {
  valid: 'Booked',
  used: 'Checked in',
  cancelled: 'Cancelled',
};

/** `value`, once it has stopped changing for `delayMs` (a search box typed into). */
function useSettled<Value>(value: Value, delayMs: number): Value {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/** Who booked: searchable by attendee name or email, newest first, a page at a time. */
export function Bookings({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const [typed, setTyped] = useState('');
  const search = useSettled(typed.trim(), 300);
  const bookings = useInfiniteQuery(
    trpc.tickets.bookings.infiniteQueryOptions(
      { eventId, search: search || undefined, limit: 25 },
      { getNextPageParam: (page) => page.nextCursor, placeholderData: keepPreviousData },
    ),
  );
  const items = bookings.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section className={styles.panel} aria-labelledby="bookings-heading">
      <div className={styles.panelHeading}>
        <h2 id="bookings-heading">Bookings</h2>
        <input
          type="search"
          className={styles.search}
          placeholder="Search by name or email"
          aria-label="Search bookings by attendee name or email"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
        />
      </div>
      <PagedTable
        list={bookings}
        count={items.length}
        loading="Loading bookings…"
        empty={search ? `No booking matches “${search}”.` : 'No bookings yet.'}
        columns={['Attendee', 'Ticket', 'Status', 'Booked', 'Checked in', 'Price']}
        Problem={ApiProblem}
        busy={bookings.isFetching}
      >
        {items.map((booking) => (
          <tr key={booking.ticketId}>
            <td>
              {booking.attendee?.name ?? 'Deleted account'}
              <div className="meta">{booking.attendee?.email}</div>
            </td>
            <td>
              <code title={booking.ticketCode}>{booking.ticketCode.slice(0, 8)}</code>
            </td>
            <td>
              <span
                className={`badge ${styles.status} ${styles[`status-${booking.status}`] ?? ''}`}
              >
                {STATUS[booking.status]}
              </span>
            </td>
            <td>{formatDateTime(booking.createdAt)}</td>
            <td>{booking.checkedInAt ? formatDateTime(booking.checkedInAt) : '—'}</td>
            <td>
              {booking.price > 0 && booking.currency
                ? formatMoney(booking.price, booking.currency)
                : 'Free'}
            </td>
          </tr>
        ))}
      </PagedTable>
    </section>
  );
}
