'use client';

import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  LabelList,
  Legend,
  Line,
  Pie,
  PieChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { RouterOutputs } from '../../../../../src/trpc/types.ts';
import styles from './analytics.module.css';

type Summary = RouterOutputs['analytics']['summary'];
type TimeSeries = RouterOutputs['analytics']['timeSeries'];
type FunnelStep = RouterOutputs['analytics']['funnel'][number];

export const PERCENT = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 });

// Charts render in the browser only (their data comes from client queries), so these format in
// the viewer's zone: the zone the API bucketed in.
const DAY = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
const DAY_AND_HOUR = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
const CLOCK = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

const COLOR = {
  accent: '#4338ca',
  accentSoft: '#a5b4fc',
  views: '#f79009',
  free: '#d0d5dd',
  grid: '#eaecf0',
};
const CHART_STYLE = { width: '100%', height: 280 };
/** Legend entries in the text colour (recharts colours them like their series, too pale for text). */
const legendText = (value: string) => <span className={styles.legend}>{value}</span>;
const MARGIN = { top: 8, right: 8, bottom: 0, left: 0 };

/** Where the event's places stand: in, bought but not (yet) in, still for sale. */
export function SeatsChart({ summary }: { summary: Summary }) {
  const { sold, checkedIn, remaining } = summary.tickets;
  const data = [
    { name: 'Checked in', value: checkedIn, fill: COLOR.accent },
    {
      name: summary.event.ended ? 'No-shows' : 'Not in yet',
      value: sold - checkedIn,
      fill: COLOR.accentSoft,
    },
    { name: 'Still for sale', value: remaining, fill: COLOR.free },
  ];
  return (
    <figure className={styles.figure} data-testid="seats-chart">
      <PieChart responsive style={{ width: '100%', height: 240 }}>
        <Pie
          data={data}
          dataKey="value"
          nameKey="name"
          innerRadius="55%"
          outerRadius="85%"
          paddingAngle={1}
          stroke="none"
        />
        <Tooltip />
        <Legend layout="vertical" align="right" verticalAlign="middle" formatter={legendText} />
      </PieChart>
      <figcaption className="visually-hidden">
        {checkedIn} checked in, {sold - checkedIn} {summary.event.ended ? 'no-shows' : 'not in yet'}
        , {remaining} still for sale.
      </figcaption>
    </figure>
  );
}

/** Tickets sold (bars) and page views (line) per day or hour. */
export function SalesChart({ series }: { series: TimeSeries }) {
  if (series.sales.length === 0) return <p className="empty">No sales or page views yet.</p>;
  const label = series.salesInterval === 'day' ? DAY : DAY_AND_HOUR;
  const data = series.sales.map((bucket) => ({
    label: label.format(bucket.start),
    tickets: bucket.tickets,
    views: bucket.views,
  }));
  return (
    <figure className={styles.figure} data-testid="sales-chart">
      <ComposedChart responsive data={data} style={CHART_STYLE} margin={MARGIN}>
        <CartesianGrid stroke={COLOR.grid} vertical={false} />
        <XAxis dataKey="label" minTickGap={24} />
        <YAxis yAxisId="tickets" allowDecimals={false} width={40} />
        <YAxis yAxisId="views" orientation="right" allowDecimals={false} width={40} />
        <Tooltip />
        <Legend formatter={legendText} />
        <Bar
          yAxisId="tickets"
          dataKey="tickets"
          name="Tickets sold"
          fill={COLOR.accent}
          radius={[3, 3, 0, 0]}
        />
        <Line
          yAxisId="views"
          dataKey="views"
          name="Page views"
          type="monotone"
          stroke={COLOR.views}
          strokeWidth={2}
          dot={false}
        />
      </ComposedChart>
    </figure>
  );
}

const FIVE_MINUTES = 5 * 60_000;

/** Check-ins per 5 minutes (bars) and everyone in so far (line), with the start marked. */
export function ArrivalsChart({ series }: { series: TimeSeries }) {
  const first = series.arrivals[0];
  const last = series.arrivals.at(-1);
  if (!first || !last) return <p className="empty">Nobody has checked in yet.</p>;
  // Over more than a day, the same clock time comes back: show the day too.
  const label = last.start.getTime() - first.start.getTime() > 86_400_000 ? DAY_AND_HOUR : CLOCK;
  const data = series.arrivals.map((bucket) => ({
    label: label.format(bucket.start),
    checkIns: bucket.checkIns,
    total: bucket.total,
  }));
  const start = series.event.startDate.getTime();
  const startLabel = label.format(new Date(start - (start % FIVE_MINUTES)));
  return (
    <figure className={styles.figure} data-testid="arrivals-chart">
      <ComposedChart responsive data={data} style={CHART_STYLE} margin={MARGIN}>
        <CartesianGrid stroke={COLOR.grid} vertical={false} />
        <XAxis dataKey="label" minTickGap={24} />
        <YAxis yAxisId="per" allowDecimals={false} width={40} />
        <YAxis yAxisId="total" orientation="right" allowDecimals={false} width={40} />
        <Tooltip />
        <Legend formatter={legendText} />
        <Bar yAxisId="per" dataKey="checkIns" name="Check-ins per 5 min" fill={COLOR.accentSoft} />
        <Line
          yAxisId="total"
          dataKey="total"
          name="Checked in so far"
          type="monotone"
          stroke={COLOR.accent}
          strokeWidth={2}
          dot={false}
        />
        {data.some((point) => point.label === startLabel) && (
          <ReferenceLine
            yAxisId="per"
            x={startLabel}
            stroke={COLOR.views}
            strokeDasharray="4 4"
            label={{ value: 'Start', position: 'insideTopRight', fill: COLOR.views }}
          />
        )}
      </ComposedChart>
      <figcaption className="meta">
        {last.total} checked in between {CLOCK.format(first.start)} and{' '}
        {CLOCK.format(new Date(last.start.getTime() + FIVE_MINUTES))}.
      </figcaption>
    </figure>
  );
}

const STEP_LABELS: Record<FunnelStep['step'], string> = {
  views: 'Page views',
  clicks: 'Opened ticket options',
  purchases: 'Orders',
  checkIns: 'Orders at the door',
};

/** How many went on to the next step: views → ticket options → orders → at the door. */
export function FunnelChart({ steps }: { steps: FunnelStep[] }) {
  const data = steps.map((step) => ({
    label: STEP_LABELS[step.step],
    count: step.count,
    note:
      step.conversion === null
        ? String(step.count)
        : `${step.count} (${PERCENT.format(step.conversion)})`,
  }));
  return (
    <figure className={styles.figure} data-testid="funnel-chart">
      <BarChart
        responsive
        layout="vertical"
        data={data}
        style={{ width: '100%', height: 220 }}
        margin={{ top: 0, right: 96, bottom: 0, left: 0 }}
      >
        <XAxis type="number" hide allowDecimals={false} />
        <YAxis type="category" dataKey="label" width={170} />
        <Tooltip />
        <Bar dataKey="count" name="Count" fill={COLOR.accent} radius={[0, 4, 4, 0]}>
          <LabelList dataKey="note" position="right" />
        </Bar>
      </BarChart>
      <figcaption className="meta">
        Percentages are of the step before. Views and ticket options count each visitor once per 30
        minutes; orders count completed purchases.
      </figcaption>
    </figure>
  );
}
