'use client';

import { useTRPC } from '@spot/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import {
  checkedInPercent,
  type LiveNumbers,
  withCheckin,
  withSales,
} from '../../../../../src/live/live-numbers.ts';
import { eventRoom, type LiveState, useLiveRoom } from '../../../../../src/live/use-live-room.ts';
import { ApiProblem } from '../../../_components/api-problem.tsx';
import styles from './live.module.css';

const TIME = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

// Views have no live feed; an occasional reload also heals anything a socket missed.
const RELOAD_MS = 60_000;

/** The door in numbers: `analytics.live` first, then every check-in and sale as it happens. */
export function LiveDashboard({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const event = useQuery(trpc.events.get.queryOptions({ id: eventId }));
  const liveKey = trpc.analytics.live.queryKey({ eventId });
  const numbers = useQuery({
    ...trpc.analytics.live.queryOptions({ eventId }),
    refetchInterval: RELOAD_MS,
  });

  const reload = () => queryClient.invalidateQueries({ queryKey: liveKey });
  const patch = (change: (current: LiveNumbers) => LiveNumbers) =>
    queryClient.setQueryData(liveKey, (current) => (current ? change(current) : current));

  const live = useLiveRoom(eventRoom(eventId), {
    onCheckin: (update) => {
      if (update.eventId !== eventId) return;
      patch((current) => withCheckin(current, update));
      if (update.checkins === null) void reload();
    },
    onSales: (update) => {
      if (update.eventId !== eventId) return;
      patch((current) => withSales(current, update));
      if (update.sold === null) void reload();
    },
    onLive: () => void reload(),
  });

  return (
    <section aria-labelledby="live-heading">
      <p className="aside">
        <Link href="/organizer/events">← My events</Link>
      </p>
      <div className="page-heading">
        <h1 id="live-heading">{event.data ? `Live: ${event.data.title}` : 'Live numbers'}</h1>
        <LiveBadge state={live} />
      </div>
      <LiveBanner state={live} />
      {numbers.isPending && <p>Loading the numbers…</p>}
      {numbers.isError && <ApiProblem error={numbers.error} />}
      {numbers.data && <Numbers numbers={numbers.data} />}
    </section>
  );
}

function LiveBadge({ state }: { state: LiveState }) {
  const isLive = state.status === 'live';
  return (
    <span className={styles.badge} data-live={isLive}>
      {isLive ? '● Live' : state.status === 'connecting' ? 'Connecting…' : 'Paused'}
    </span>
  );
}

function LiveBanner({ state }: { state: LiveState }) {
  if (state.status === 'connecting')
    return (
      <p className={styles.connecting} aria-live="polite">
        Connecting to live updates…
      </p>
    );
  if (state.status !== 'paused') return null;
  return (
    <p role="status" className={styles.paused} data-testid="live-paused">
      <strong>Live updates paused</strong> ({state.reason}). The numbers below may be behind; they
      refresh by themselves when updates are back.
    </p>
  );
}

function Numbers({ numbers }: { numbers: LiveNumbers }) {
  const percent = checkedInPercent(numbers);
  return (
    <>
      <dl className={`stat-tiles ${styles.doorNumbers}`}>
        <div>
          <dt>Checked in</dt>
          <dd data-testid="checkin-count">{numbers.checkins}</dd>
        </div>
        <div>
          <dt>Tickets sold</dt>
          <dd data-testid="sold-count">{numbers.sold}</dd>
        </div>
        <div>
          <dt>Capacity</dt>
          <dd>{numbers.capacity}</dd>
        </div>
        <div>
          <dt>Page views</dt>
          <dd>{numbers.views}</dd>
        </div>
      </dl>

      <div className={styles.progress}>
        <p id="checkin-progress">
          {numbers.checkins} of {numbers.sold} ticket holders checked in ({percent}%)
        </p>
        <div
          className={`bar-track ${styles.track}`}
          role="progressbar"
          aria-labelledby="checkin-progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
        >
          <div className={`bar-fill ${styles.fill}`} style={{ width: `${percent}%` }} />
        </div>
      </div>

      <h2>Last scans</h2>
      {numbers.recentScans.length === 0 ? (
        <p className="empty">No one has checked in yet.</p>
      ) : (
        <table className={styles.scans}>
          <thead>
            <tr>
              <th scope="col">Attendee</th>
              <th scope="col">Time</th>
              <th scope="col">Gate</th>
              <th scope="col">How</th>
              <th scope="col">By</th>
              <th scope="col">
                <span className="visually-hidden">Undo</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {numbers.recentScans.map((scan) => (
              <tr key={scan.ticketId}>
                <td>{scan.attendeeName}</td>
                <td>
                  <time dateTime={scan.scannedAt}>{TIME.format(new Date(scan.scannedAt))}</time>
                </td>
                <td>{scan.gate ?? '—'}</td>
                <td>{scan.manual ? 'Manual' : 'Scan'}</td>
                <td>{scan.scannedBy}</td>
                <td>
                  <UndoCheckIn eventId={numbers.eventId} scan={scan} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {numbers.source === 'mongo' && (
        <p className="aside">
          Counted from the check-in history: the live counters are unavailable right now.
        </p>
      )}
    </>
  );
}

/** Matches the server's limit (checkin.undo refuses older check-ins anyway). */
const UNDO_MINUTES = 15;

/** Takes back a check-in made by mistake in the last minutes; the server logs who and when. */
function UndoCheckIn({
  eventId,
  scan,
}: {
  eventId: string;
  scan: LiveNumbers['recentScans'][number];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const undo = useMutation(
    trpc.checkin.undo.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.analytics.live.queryFilter({ eventId })),
    }),
  );
  if (Date.now() - new Date(scan.scannedAt).getTime() > UNDO_MINUTES * 60_000) return null;
  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={undo.isPending}
        onClick={() => undo.mutate({ eventId, ticketId: scan.ticketId })}
        aria-label={`Undo the check-in of ${scan.attendeeName}`}
      >
        Undo
      </button>
      {undo.error && (
        <span role="alert" className="form-error">
          {undo.error.message}
        </span>
      )}
    </>
  );
}
