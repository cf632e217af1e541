'use client';

import { type ApiError, useHydrated, useTRPC } from '@spot/ui';
import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { type ReactNode, useId, useState } from 'react';
import { When } from '../../../../../src/components/when.tsx';
import { formatMoney } from '../../../../../src/lib/format.ts';
import type { RouterOutputs } from '../../../../../src/trpc/types.ts';
import { ApiProblem } from '../../../_components/api-problem.tsx';
import styles from './analytics.module.css';
import { Bookings } from './bookings.tsx';
import { ArrivalsChart, FunnelChart, PERCENT, SalesChart, SeatsChart } from './charts.tsx';

type Summary = RouterOutputs['analytics']['summary'];
type SalesInterval = 'day' | 'hour';

/** The zone this browser shows times in: the API counts days and hours in it too. */
function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const isForbidden = (error: ApiError | null) => error?.data?.code === 'FORBIDDEN';

/**
 * One event in numbers: totals (free), the charts over time and the funnel (Spot Pro: the API
 * answers FORBIDDEN to free organizers, and the page offers the upgrade instead), the bookings
 * and the CSV downloads.
 */
export function AnalyticsDashboard({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  // The server render does not know the browser's zone: zoned queries wait for the browser.
  const timezone = hydrated ? browserTimeZone() : 'UTC';
  const [salesInterval, setSalesInterval] = useState<SalesInterval>('day');
  const summary = useQuery(trpc.analytics.summary.queryOptions({ eventId }));
  const series = useQuery({
    ...trpc.analytics.timeSeries.queryOptions({ eventId, timezone, salesInterval }),
    enabled: hydrated && summary.isSuccess,
  });
  const funnel = useQuery({
    ...trpc.analytics.funnel.queryOptions({ eventId }),
    enabled: summary.isSuccess,
  });

  return (
    <section aria-labelledby="analytics-heading" className={styles.dashboard}>
      <p className="aside">
        <Link href="/organizer/events">← My events</Link> ·{' '}
        <Link href={`/organizer/events/${eventId}/live`}>Live numbers</Link> ·{' '}
        <Link href={`/organizer/events/${eventId}/door`}>Door</Link>
      </p>
      <h1 id="analytics-heading">
        {summary.data ? `Analytics: ${summary.data.event.title}` : 'Analytics'}
      </h1>
      {summary.isPending && <p>Loading the numbers…</p>}
      {summary.isError && <ApiProblem error={summary.error} />}
      {summary.data && (
        <>
          <p className="meta">
            <When start={summary.data.event.startDate} end={summary.data.event.endDate} />
            {summary.data.event.cancelled && ' · cancelled'}
          </p>
          <Tiles summary={summary.data} eventId={eventId} />
          <Panel title="Seats">
            <SeatsChart summary={summary.data} />
          </Panel>
          <ProPanel
            title="Sales over time"
            query={series}
            actions={<IntervalPicker value={salesInterval} onChange={setSalesInterval} />}
          >
            {(data) => <SalesChart series={data} />}
          </ProPanel>
          <ProPanel title="Arrivals at the door" query={series}>
            {(data) => <ArrivalsChart series={data} />}
          </ProPanel>
          <ProPanel title="Funnel" query={funnel}>
            {(steps) => <FunnelChart steps={steps} />}
          </ProPanel>
          <Bookings eventId={eventId} />
          <Downloads eventId={eventId} timezone={timezone} access={funnel} />
        </>
      )}
    </section>
  );
}

function Tile({ label, value, note }: { label: string; value: ReactNode; note?: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
      {note && <dd className={styles.note}>{note}</dd>}
    </div>
  );
}

function Tiles({ summary, eventId }: { summary: Summary; eventId: string }) {
  const { tickets, noShows, revenue } = summary;
  const [main, ...others] = revenue;
  return (
    <dl className={`stat-tiles ${styles.summary}`} data-testid="summary">
      <Tile
        label="Tickets sold"
        value={tickets.sold}
        note={`of ${summary.event.capacity} · ${tickets.remaining} left`}
      />
      <Tile
        label="Checked in"
        value={tickets.checkedIn}
        note={tickets.sold > 0 ? `${PERCENT.format(tickets.checkedIn / tickets.sold)} of sold` : ''}
      />
      <Tile
        label="No-shows"
        value={noShows ? PERCENT.format(noShows.rate) : '—'}
        note={
          noShows
            ? `${noShows.count} tickets unused`
            : summary.event.cancelled
              ? 'Event cancelled'
              : 'Known once the event is over'
        }
      />
      {main && (
        <Tile
          label="Revenue"
          value={formatMoney(main.net, main.currency)}
          note={
            <>
              {formatMoney(main.gross, main.currency)} paid ·{' '}
              {formatMoney(main.refunded, main.currency)} refunded
              {others.map((line) => ` · + ${formatMoney(line.net, line.currency)}`).join('')}
            </>
          }
        />
      )}
      <Tile
        label="Page views"
        value={summary.views}
        note={`${summary.clicks} opened the ticket options`}
      />
      <Tile
        label="Refused scans"
        value={summary.failedScans}
        note={<Link href={`/organizer/events/${eventId}/door`}>See the log</Link>}
      />
    </dl>
  );
}

function Panel({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section className={styles.panel} aria-labelledby={headingId}>
      <div className={styles.panelHeading}>
        <h2 id={headingId}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

function UpgradePrompt({ feature }: { feature: string }) {
  return (
    <p className={styles.upgrade}>
      <strong>{feature} is part of Spot Pro.</strong>{' '}
      <Link href="/organizer/billing">Upgrade on your billing page</Link> to see it.
    </p>
  );
}

/** A panel whose data only Pro organizers get: an upgrade prompt when the API says FORBIDDEN. */
function ProPanel<Data>({
  title,
  query,
  actions,
  children,
}: {
  title: string;
  query: UseQueryResult<Data, ApiError>;
  actions?: ReactNode;
  children: (data: Data) => ReactNode;
}) {
  return (
    <Panel title={title} actions={query.data !== undefined && actions}>
      {query.isPending && <p className={styles.placeholder}>Loading…</p>}
      {query.isError &&
        (isForbidden(query.error) ? (
          <UpgradePrompt feature={title} />
        ) : (
          <ApiProblem error={query.error} />
        ))}
      {query.data !== undefined && children(query.data)}
    </Panel>
  );
}

function IntervalPicker({
  value,
  onChange,
}: {
  value: SalesInterval;
  onChange: (interval: SalesInterval) => void;
}) {
  return (
    <fieldset className={styles.segmented}>
      <legend className="visually-hidden">Group sales by</legend>
      {(['day', 'hour'] as const).map((interval) => (
        <label key={interval}>
          <input
            type="radio"
            name="sales-interval"
            value={interval}
            checked={value === interval}
            onChange={() => onChange(interval)}
          />
          Per {interval}
        </label>
      ))}
    </fieldset>
  );
}

function Downloads({
  eventId,
  timezone,
  access,
}: {
  eventId: string;
  timezone: string;
  /** Any Pro query: CSV exports follow the same plan. */
  access: UseQueryResult<unknown, ApiError>;
}) {
  const href = (kind: string) =>
    `/api/exports/${eventId}/${kind}?timezone=${encodeURIComponent(timezone)}`;
  return (
    <Panel title="Downloads">
      {isForbidden(access.error) && <UpgradePrompt feature="CSV export" />}
      {access.isSuccess && (
        <>
          <p className={styles.downloads}>
            <a className="button secondary" href={href('bookings')} download>
              Bookings (CSV)
            </a>
            <a className="button secondary" href={href('check-ins')} download>
              Check-ins (CSV)
            </a>
          </p>
          <p className="meta">UTF-8 files that Excel opens as they are; times in {timezone}.</p>
        </>
      )}
    </Panel>
  );
}
