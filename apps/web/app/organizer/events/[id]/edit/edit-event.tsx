'use client';

import { useTRPC } from '@spot/ui';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { STATUS_LABELS } from '../../../../../src/lib/format.ts';
import { ApiProblem } from '../../../_components/api-problem.tsx';
import { EventEndings } from '../../../_components/event-endings.tsx';
import { EventForm } from '../../../_components/event-form.tsx';
import { PublishButton } from '../../../_components/publish-button.tsx';

export function EditEvent({ id, justCreated }: { id: string; justCreated: boolean }) {
  const trpc = useTRPC();
  const event = useQuery(trpc.events.get.queryOptions({ id }));

  return (
    <section className="panel" aria-labelledby="edit-event">
      <p className="aside">
        <Link href="/organizer/events">← My events</Link>
      </p>
      <h1 id="edit-event">Edit event</h1>
      {event.isPending && <p>Loading…</p>}
      {event.isError && <ApiProblem error={event.error} />}
      {event.data && (
        <>
          {justCreated && event.data.status === 'draft' && (
            <p role="status" className="notice">
              Draft saved. Publish it when it is ready.
            </p>
          )}
          <div className="publish-bar">
            <span>
              State:{' '}
              <span className={`badge status-${event.data.status}`}>
                {STATUS_LABELS[event.data.status]}
              </span>
            </span>
            {event.data.ticketsSold > 0 && <span>{event.data.ticketsSold} tickets sold</span>}
            <Link href={`/events/${event.data.id}`}>View page</Link>
            <Link href={`/organizer/events/${event.data.id}/live`}>Live numbers</Link>
            <Link href={`/organizer/events/${event.data.id}/door`}>Door</Link>
            <Link href={`/organizer/events/${event.data.id}/analytics`}>Analytics</Link>
            <PublishButton
              eventId={event.data.id}
              title={event.data.title}
              status={event.data.status}
            />
          </div>
          <EventForm key={event.data.id} event={event.data} />
          <EventEndings
            eventId={event.data.id}
            title={event.data.title}
            status={event.data.status}
            ticketsSold={event.data.ticketsSold}
          />
        </>
      )}
    </section>
  );
}
