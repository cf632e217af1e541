import { z } from 'zod';
import { eventIdSchema } from '../events/schemas.ts';
import { canonicalTimeZone } from '../lib/time-zone.ts';

export const SALES_INTERVALS = ['hour', 'day'] as const;
export type SalesInterval = (typeof SALES_INTERVALS)[number];

export const TIME_ZONE_MESSAGE = 'timezone must be an IANA time zone such as Europe/Paris';

const timeZoneSchema = z
  .string({ error: TIME_ZONE_MESSAGE })
  .max(64, TIME_ZONE_MESSAGE)
  .transform((name, context) => {
    const canonical = canonicalTimeZone(name);
    if (canonical) return canonical;
    context.addIssue({ code: 'custom', message: TIME_ZONE_MESSAGE });
    return z.NEVER;
  });

export const timeSeriesInput = z.object({
  eventId: eventIdSchema,
  /** Where days and hours begin; the browser sends its own zone. */
  timezone: timeZoneSchema.default('UTC'),
  salesInterval: z
    .enum(SALES_INTERVALS, { error: `salesInterval must be one of: ${SALES_INTERVALS.join(', ')}` })
    .default('day'),
});
export type TimeSeriesInput = z.infer<typeof timeSeriesInput>;
