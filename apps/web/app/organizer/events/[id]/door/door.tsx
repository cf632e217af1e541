'use client';

import { Field, fieldErrors, formError, useTRPC } from '@spot/ui';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { PagedTable } from '../../../../../src/components/paged-table.tsx';
import { formatDateTime } from '../../../../../src/lib/format.ts';
import { ApiProblem } from '../../../_components/api-problem.tsx';

const REASONS: Record<string, string> = {
  already_used: 'Already used',
  wrong_event: 'Another event’s ticket',
  cancelled: 'Cancelled ticket',
  unknown_ticket: 'Unknown ticket',
  invalid_signature: 'Forged or damaged code',
  not_allowed: 'Scanner not on the door team',
};

/** The event's door: who may scan (staff), and every refused scan for disputes. */
export function Door({ eventId }: { eventId: string }) {
  return (
    <section className="panel" aria-labelledby="door">
      <p className="aside">
        <Link href="/organizer/events">← My events</Link> ·{' '}
        <Link href={`/organizer/events/${eventId}/live`}>Live numbers</Link>
      </p>
      <h1 id="door">Door</h1>
      <Staff eventId={eventId} />
      <RefusedScans eventId={eventId} />
    </section>
  );
}

function Staff({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const staff = useQuery(trpc.checkin.staff.queryOptions({ eventId }));
  const [email, setEmail] = useState('');
  const onSuccess = (members: NonNullable<typeof staff.data>) => {
    queryClient.setQueryData(trpc.checkin.staff.queryKey({ eventId }), members);
  };
  const add = useMutation(
    trpc.checkin.addStaff.mutationOptions({
      onSuccess: (members) => {
        onSuccess(members);
        setEmail('');
      },
    }),
  );
  const remove = useMutation(trpc.checkin.removeStaff.mutationOptions({ onSuccess }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ eventId, email });
  };

  if (staff.isError) return <ApiProblem error={staff.error} />;
  return (
    <section aria-labelledby="staff">
      <h2 id="staff">Door staff</h2>
      <p className="meta">
        Staff can sign in to the scanner app and check tickets in for this event. Nothing else.
      </p>
      {staff.data?.length === 0 && <p className="empty">No staff yet: only you can scan.</p>}
      <ul className="staff-list">
        {staff.data?.map((member) => (
          <li key={member.userId}>
            {member.name} <span className="meta">{member.email}</span>{' '}
            <button
              type="button"
              className="secondary"
              disabled={remove.isPending}
              onClick={() => remove.mutate({ eventId, userId: member.userId })}
              aria-label={`Remove ${member.name}`}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} className="row">
        <Field
          name="email"
          label="Add by email"
          type="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          errors={fieldErrors(add.error, 'email')}
        />
        <button type="submit" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add'}
        </button>
      </form>
      {formError(add.error ?? remove.error) && (
        <p role="alert" className="form-error">
          {formError(add.error ?? remove.error)}
        </p>
      )}
    </section>
  );
}

function RefusedScans({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const log = useInfiniteQuery(
    trpc.checkin.failedScans.infiniteQueryOptions(
      { eventId, limit: 25 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const items = log.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="refused">
      <h2 id="refused">Refused scans</h2>
      <PagedTable
        list={log}
        count={items.length}
        loading="Loading refused scans…"
        empty="No refused scans."
        columns={['When', 'Why', 'Scanned by', 'Gate']}
        Problem={ApiProblem}
      >
        {items.map((item) => (
          <tr key={item.id}>
            <td>{formatDateTime(item.at)}</td>
            <td>{REASONS[item.reason] ?? item.reason}</td>
            <td>{item.scannedBy}</td>
            <td>{item.gate ?? '—'}</td>
          </tr>
        ))}
      </PagedTable>
    </section>
  );
}
