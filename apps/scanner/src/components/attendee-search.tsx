'use client';

import { useTRPC } from '@spot/ui';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { clockTime } from '../core/present.ts';
import { unlockAudio } from '../device/feedback.ts';
import type { AttendeeMatch } from '../trpc/types.ts';
import { useOnline } from './hooks.ts';

const time = clockTime();
const MIN_QUERY = 2;

function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function statusLabel(match: AttendeeMatch): string {
  if (match.status === 'used')
    return match.checkedInAt ? `Checked in ${time(match.checkedInAt)}` : 'Checked in';
  return match.status === 'cancelled' ? 'Cancelled' : 'Not checked in';
}

/** Find an attendee by name or email (`checkin.searchAttendees`) and check them in by hand. */
export function AttendeeSearch({
  eventId,
  onCheckIn,
  disabled,
}: {
  eventId: string;
  onCheckIn: (match: AttendeeMatch) => Promise<void>;
  disabled: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const online = useOnline();
  const [text, setText] = useState('');
  const query = useDebounced(text.trim(), 300);
  const enabled = online && query.length >= MIN_QUERY;
  const search = useQuery({
    ...trpc.checkin.searchAttendees.queryOptions({ eventId, query }),
    enabled,
    staleTime: 0,
  });

  async function checkIn(match: AttendeeMatch) {
    unlockAudio();
    await onCheckIn(match);
    await queryClient.invalidateQueries(trpc.checkin.searchAttendees.queryFilter());
  }

  return (
    <section className="search" aria-label="Attendee search">
      <div className="field">
        <label htmlFor="attendee-search">Find an attendee</label>
        <input
          id="attendee-search"
          type="search"
          data-testid="attendee-search"
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder="Name or email"
          autoComplete="off"
          disabled={!online}
        />
      </div>
      {!online && <p className="muted">Searching needs a connection.</p>}
      {enabled && search.isPending && <p className="muted">Searching…</p>}
      {enabled && search.isError && (
        <p className="form-error" role="alert">
          {search.error.data ? search.error.message : 'No connection to the server.'}
        </p>
      )}
      {enabled && search.data && (
        <ul className="matches" data-testid="attendee-results">
          {search.data.length === 0 && <li className="muted">Nobody matches “{query}”.</li>}
          {search.data.map((match) => (
            <li key={match.ticketId} className="match" data-testid="attendee-result">
              <span className="match-who">
                <strong>{match.attendeeName}</strong>
                <span className="muted">{match.attendeeEmail}</span>
                <span className={`chip chip-${match.status}`}>{statusLabel(match)}</span>
              </span>
              <button
                type="button"
                data-testid="attendee-checkin"
                data-ticket-id={match.ticketId}
                disabled={disabled || match.status === 'cancelled'}
                onClick={() => checkIn(match)}
              >
                Check in
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
