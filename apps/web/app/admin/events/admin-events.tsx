'use client';

import { Field, SelectField, useTRPC } from '@spot/ui';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { PagedTable } from '../../../src/components/paged-table.tsx';
import { When } from '../../../src/components/when.tsx';
import { STATUS_LABELS } from '../../../src/lib/format.ts';
import type { InputObject, RouterInputs, RouterOutputs } from '../../../src/trpc/types.ts';
import { ApiProblem } from '../_components/api-problem.tsx';
import { ReasonAction } from '../_components/reason-action.tsx';
import styles from '../admin.module.css';

export type EventFilters = Omit<InputObject<RouterInputs['admin']['events']>, 'cursor' | 'limit'>;
type AdminEvent = RouterOutputs['admin']['events']['items'][number];

/** Every event with its moderation state; remove a fake or scam event, or restore one. */
export function AdminEvents({ initial }: { initial: EventFilters }) {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<EventFilters>(initial);
  const events = useInfiniteQuery(
    trpc.admin.events.infiniteQueryOptions(
      { ...filters, limit: 25 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '') || undefined;
    setFilters({
      text: value('text'),
      status: value('status') as EventFilters['status'],
      reported: form.get('reported') === 'on' || undefined,
      organizerId: value('organizerId'),
    });
  };

  return (
    <section aria-labelledby="admin-events">
      <h1 id="admin-events">Events</h1>
      <form className={styles.filters} onSubmit={onSubmit} aria-label="Filter events">
        <Field name="text" label="Title" type="search" defaultValue={initial.text} />
        <SelectField name="status" label="Show" defaultValue={initial.status ?? ''}>
          <option value="">All events</option>
          <option value="published">Published</option>
          <option value="removed">Removed</option>
          <option value="hidden">Hidden (organizer suspended)</option>
        </SelectField>
        <Field
          name="organizerId"
          label="Organizer id"
          defaultValue={initial.organizerId}
          placeholder="From the users page"
        />
        <label className={styles.checkbox}>
          <input type="checkbox" name="reported" defaultChecked={initial.reported} /> Reported only
        </label>
        <button type="submit">Filter</button>
      </form>
      <PagedTable
        list={events}
        count={items.length}
        loading="Loading events…"
        empty="No event matches."
        columns={['Event', 'Organizer', 'State', 'Reports', '']}
        Problem={ApiProblem}
        wrapperClassName={styles.scroll}
      >
        {items.map((event) => (
          <EventRow key={event.id} event={event} />
        ))}
      </PagedTable>
    </section>
  );
}

function EventRow({ event }: { event: AdminEvent }) {
  return (
    <tr>
      <td>
        <Link href={`/events/${event.id}`}>{event.title}</Link>
        <div className="meta">
          {event.city} · <When start={event.startDate} end={event.endDate} />
        </div>
        <div className="meta">{event.ticketsSold} tickets sold</div>
      </td>
      <td>
        {event.organizer ? (
          <>
            <Link href={`/admin/users/${event.organizer.id}`}>{event.organizer.name}</Link>
            {event.organizer.status === 'suspended' && <div className="meta">Suspended</div>}
          </>
        ) : (
          'Unknown'
        )}
      </td>
      <td>
        <span className={`badge status-${event.status}`}>{STATUS_LABELS[event.status]}</span>
        {event.hiddenPendingReview && <div className="meta">Hidden pending review</div>}
        {event.removed && (
          <p className={styles.note}>
            {event.removed.reason}
            {event.removed.by ? ` (${event.removed.by})` : ''}
          </p>
        )}
      </td>
      <td>
        {event.openReports > 0 ? (
          <Link href={`/admin/reports?eventId=${event.id}`}>{event.openReports} open</Link>
        ) : (
          '—'
        )}
      </td>
      <td>
        <ModerateEvent event={event} />
      </td>
    </tr>
  );
}

function ModerateEvent({ event }: { event: AdminEvent }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSettled = () => queryClient.invalidateQueries(trpc.admin.events.infiniteQueryFilter());
  const remove = useMutation(trpc.admin.removeEvent.mutationOptions({ onSettled }));
  const restore = useMutation(trpc.admin.restoreEvent.mutationOptions({ onSettled }));

  if (event.removed) {
    return (
      <ReasonAction
        label="Restore"
        ariaLabel={`Restore ${event.title}`}
        prompt="Why restore it? Tickets cancelled by the removal stay cancelled and refunded."
        pending={restore.isPending}
        error={restore.error}
        onConfirm={(reason, done) => restore.mutate({ id: event.id, reason }, { onSuccess: done })}
      />
    );
  }
  return (
    <ReasonAction
      label="Remove"
      ariaLabel={`Remove ${event.title}`}
      prompt="Why remove it? The organizer sees this; valid tickets are cancelled and refunded."
      pending={remove.isPending}
      error={remove.error}
      onConfirm={(reason, done) => remove.mutate({ id: event.id, reason }, { onSuccess: done })}
    />
  );
}
