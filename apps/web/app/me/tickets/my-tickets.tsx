'use client';

import { useTRPC } from '@spot/ui';
import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { When } from '../../../src/components/when.tsx';
import { TicketStatus, TicketsProblem } from './ticket-status.tsx';

const PAGE_SIZE = 20;

/** The caller's tickets, newest first (`tickets.mine`, cursor pages). */
export function MyTickets() {
  const trpc = useTRPC();
  const tickets = useInfiniteQuery(
    trpc.tickets.mine.infiniteQueryOptions(
      { limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, staleTime: 0 },
    ),
  );

  let body: React.ReactNode;
  if (tickets.isPending) body = <p aria-live="polite">Loading your tickets…</p>;
  else if (tickets.isError) body = <TicketsProblem error={tickets.error} next="/me/tickets" />;
  else {
    const items = tickets.data.pages.flatMap((page) => page.items);
    body =
      items.length === 0 ? (
        <p className="empty">
          No tickets yet. <Link href="/">Explore events</Link>
        </p>
      ) : (
        <>
          <ul className="ticket-list">
            {items.map((ticket) => (
              <li key={ticket.id} className="ticket-row">
                <div>
                  <Link href={`/me/tickets/${ticket.id}`} className="ticket-title">
                    {ticket.event?.title ?? 'Event no longer available'}
                  </Link>
                  {ticket.event && (
                    <p className="meta">
                      <When start={ticket.event.startDate} end={ticket.event.endDate} /> ·{' '}
                      {ticket.event.city}
                    </p>
                  )}
                </div>
                <TicketStatus ticket={ticket} />
              </li>
            ))}
          </ul>
          {tickets.hasNextPage && (
            <button
              type="button"
              className="secondary load-more"
              onClick={() => tickets.fetchNextPage()}
              disabled={tickets.isFetchingNextPage}
            >
              {tickets.isFetchingNextPage ? 'Loading…' : 'More tickets'}
            </button>
          )}
        </>
      );
  }
  return (
    <section>
      <h1>My tickets</h1>
      {body}
    </section>
  );
}
