'use client';

import Link from 'next/link';
import { useState } from 'react';
import { clockTime, describeEntry } from '../core/present.ts';
import { isConflict, needsAttention, type ScanEntry } from '../core/queue.ts';
import type { SyncReport } from '../core/sync.ts';
import { type CachedUser, getCachedEvents } from '../device/settings.ts';
import { useOnline } from './hooks.ts';
import { useQueuedEntries, useScannerServices, useSyncStatus } from './services.tsx';

const time = clockTime();
const SHOW_SYNCED = 50;

const STOP_REASONS: Record<NonNullable<SyncReport['stoppedBy']>, string> = {
  offline: 'the device is offline',
  network: 'the server could not be reached',
  server: 'the server had a problem',
  rate_limited: 'the server asked to slow down',
  signed_out: 'you are signed out',
};

/** The attendee once known; before that, the start of the ticket's code (as on their ticket). */
function who(entry: ScanEntry): string {
  if (entry.result && 'attendeeName' in entry.result) return entry.result.attendeeName;
  if (entry.attendeeName) return entry.attendeeName;
  if (entry.ticketKey.startsWith('code:')) return `Ticket ${entry.ticketKey.slice(5, 13)}…`;
  return entry.kind === 'manual' ? 'Manual check-in' : 'Unverified ticket';
}

function EntryRow({
  entry,
  eventTitle,
  otherUser,
  onDismiss,
}: {
  entry: ScanEntry;
  eventTitle: string;
  otherUser: boolean;
  onDismiss?: () => void;
}) {
  const conflict = isConflict(entry);
  return (
    <li
      className={`entry ${conflict ? 'entry-conflict' : ''}`}
      data-testid="queue-entry"
      data-status={entry.status}
      data-result={entry.result?.result ?? ''}
      data-nonce={entry.nonce}
    >
      <div className="entry-main">
        <strong>{who(entry)}</strong>
        <span className="muted">
          {time(new Date(entry.scannedAt))}
          {entry.gate ? ` · ${entry.gate}` : ''} · {eventTitle}
          {entry.kind === 'manual' ? ' · manual' : ''}
          {!entry.verified ? ' · signature not checked' : ''}
        </span>
        <span className="entry-state" data-testid="queue-entry-state">
          {describeEntry(entry, time)}
        </span>
        {otherUser && (
          <span className="muted">Scanned by another account: it syncs when they log in.</span>
        )}
      </div>
      {onDismiss && (
        <button type="button" className="secondary" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </li>
  );
}

/** The offline queue: what waits to sync, what the server disputed, what went through. */
export function PendingList({ user }: { user: CachedUser }) {
  const services = useScannerServices();
  const entries = useQueuedEntries();
  const sync = useSyncStatus();
  const online = useOnline();
  const [showAll, setShowAll] = useState(false);

  const titles = new Map((getCachedEvents(user.id) ?? []).map((event) => [event.id, event.title]));
  const title = (entry: ScanEntry) => titles.get(entry.eventId) ?? 'Another event';

  const attention = entries.filter(needsAttention).reverse();
  const pending = entries.filter((entry) => entry.status === 'pending');
  const done = entries
    .filter((entry) => entry.status !== 'pending' && !needsAttention(entry))
    .reverse();
  const report = sync.lastReport;

  return (
    <section className="pending" data-testid="pending-list">
      <h1>Scan queue</h1>
      <p className="muted">
        Scans made without a connection wait here and are sent, in order, when the scanner is back
        online. <Link href="/">Back to scanning</Link>
      </p>
      <div className="sync-bar">
        <button
          type="button"
          data-testid="sync-now"
          onClick={() => void services?.syncNow().catch(() => undefined)}
          disabled={!online || sync.running || pending.length === 0}
        >
          {sync.running ? 'Syncing…' : 'Sync now'}
        </button>
        <span className="muted" role="status" data-testid="sync-status">
          {!online
            ? 'Offline: will sync when the connection is back.'
            : report
              ? `Last sync ${sync.lastRunAt ? time(new Date(sync.lastRunAt)) : ''}: ${report.accepted} accepted, ${report.conflicts} conflicts${report.failed ? `, ${report.failed} refused` : ''}${report.stoppedBy ? `; stopped because ${STOP_REASONS[report.stoppedBy]}` : ''}.`
              : pending.length > 0
                ? 'Waiting to sync.'
                : 'Nothing to sync.'}
        </span>
      </div>

      <h2>
        Needs attention{' '}
        {attention.length > 0 && <span className="badge badge-attention">{attention.length}</span>}
      </h2>
      {attention.length === 0 ? (
        <p className="muted">No conflicts.</p>
      ) : (
        <>
          <p className="muted">
            These were let in while offline, but the server did not accept the scan.
          </p>
          <ul className="entries" data-testid="conflicts">
            {attention.map((entry) => (
              <EntryRow
                key={entry.nonce}
                entry={entry}
                eventTitle={title(entry)}
                otherUser={false}
                onDismiss={() => void services?.queue.acknowledge(entry.nonce)}
              />
            ))}
          </ul>
        </>
      )}

      <h2>
        Waiting to sync{' '}
        {pending.length > 0 && <span className="badge badge-pending">{pending.length}</span>}
      </h2>
      {pending.length === 0 ? (
        <p className="muted">Nothing waiting.</p>
      ) : (
        <ul className="entries" data-testid="pending-entries">
          {pending.map((entry) => (
            <EntryRow
              key={entry.nonce}
              entry={entry}
              eventTitle={title(entry)}
              otherUser={entry.userId !== user.id}
            />
          ))}
        </ul>
      )}

      <h2>Synced from the queue</h2>
      {done.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <>
          <ul className="entries" data-testid="synced-entries">
            {(showAll ? done : done.slice(0, SHOW_SYNCED)).map((entry) => (
              <EntryRow
                key={entry.nonce}
                entry={entry}
                eventTitle={title(entry)}
                otherUser={false}
              />
            ))}
          </ul>
          {!showAll && done.length > SHOW_SYNCED && (
            <button type="button" className="link-button" onClick={() => setShowAll(true)}>
              Show all {done.length}
            </button>
          )}
        </>
      )}
    </section>
  );
}
