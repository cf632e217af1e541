'use client';

import Link from 'next/link';
import type { CachedEvent } from '../device/settings.ts';
import { useScannableEvents } from './hooks.ts';

const dateTime = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

const ROLE_LABELS: Record<CachedEvent['role'], string> = {
  organizer: 'Organizer',
  staff: 'Door staff',
  admin: 'Admin',
};

/** The events the signed-in user may scan (`checkin.scannableEvents`): pick one to work its door. */
export function EventPicker({ userId, userName }: { userId: string; userName: string }) {
  const state = useScannableEvents(userId);
  return (
    <section>
      <h1>Choose an event</h1>
      <p className="muted">Signed in as {userName}.</p>
      {state.status === 'loading' && (
        <p className="muted" role="status">
          Loading your events…
        </p>
      )}
      {state.status === 'error' && (
        <p className="form-error" role="alert">
          {state.message}
        </p>
      )}
      {state.status === 'ready' && (
        <>
          {state.offline && (
            <p className="notice" role="status">
              Offline: showing the events saved on this device.
            </p>
          )}
          {state.events.length === 0 ? (
            <p>No events to scan. An organizer can add you to an event's door team.</p>
          ) : (
            <ul className="event-list" data-testid="event-list">
              {state.events.map((event) => {
                const opensAt = new Date(event.checkInOpensAt);
                const notOpen = opensAt.getTime() > Date.now();
                return (
                  <li key={event.id}>
                    <Link
                      href={`/scan?event=${event.id}`}
                      className="event-item"
                      data-testid="event-item"
                      data-event-id={event.id}
                    >
                      <strong>{event.title}</strong>
                      <span className="muted">
                        {dateTime.format(new Date(event.startDate))} · {event.city}
                      </span>
                      <span className="event-meta">
                        <span className="chip">{ROLE_LABELS[event.role]}</span>
                        {notOpen && (
                          <span className="chip chip-muted">
                            Check-in opens {dateTime.format(opensAt)}
                          </span>
                        )}
                      </span>
                    </Link>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
