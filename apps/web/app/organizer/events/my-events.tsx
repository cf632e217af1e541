'use client';

import { useTRPC } from '@spot/ui';
import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { PagedTable } from '../../../src/components/paged-table.tsx';
import { When } from '../../../src/components/when.tsx';
import { STATUS_LABELS } from '../../../src/lib/format.ts';
import { ApiProblem } from '../_components/api-problem.tsx';
import { PublishButton } from '../_components/publish-button.tsx';

export function MyEvents() {
  const trpc = useTRPC();
  const mine = useInfiniteQuery(
    trpc.events.mine.infiniteQueryOptions(
      { limit: 20 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const events = mine.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby="my-events">
      <div className="page-heading">
        <h1 id="my-events">My events</h1>
        <div className="row">
          <Link href="/organizer/billing" className="button secondary">
            Billing
          </Link>
          <Link href="/organizer/events/new" className="button">
            New event
          </Link>
        </div>
      </div>
      <PagedTable
        list={mine}
        count={events.length}
        loading="Loading your events…"
        empty="No events yet. Create your first one."
        columns={['Event', 'When', 'State', '']}
        Problem={ApiProblem}
      >
        {events.map((event) => (
          <tr key={event.id}>
            <td>
              <Link href={`/events/${event.id}`}>{event.title}</Link>
              <div className="meta">{event.location.city}</div>
            </td>
            <td>
              <When start={event.startDate} end={event.endDate} />
            </td>
            <td>
              <span className={`badge status-${event.status}`}>{STATUS_LABELS[event.status]}</span>
            </td>
            <td className="actions">
              <Link href={`/organizer/events/${event.id}/edit`} aria-label={`Edit ${event.title}`}>
                Edit
              </Link>
              <Link
                href={`/organizer/events/${event.id}/live`}
                aria-label={`Live numbers of ${event.title}`}
              >
                Live
              </Link>
              <Link
                href={`/organizer/events/${event.id}/door`}
                aria-label={`Door of ${event.title}`}
              >
                Door
              </Link>
              <Link
                href={`/organizer/events/${event.id}/analytics`}
                aria-label={`Analytics of ${event.title}`}
              >
                Analytics
              </Link>
              <PublishButton eventId={event.id} title={event.title} status={event.status} />
            </td>
          </tr>
        ))}
      </PagedTable>
    </section>
  );
}
