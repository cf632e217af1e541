import { CURRENCIES, EVENT_CATEGORIES } from '@spot/db';
import { z } from 'zod';

export const eventIdSchema = z
  .string({ error: 'id is required' })
  .regex(/^[0-9a-fA-F]{24}$/, 'id must be an event id');

export const eventIdInput = z.object({ id: eventIdSchema });

export const categorySchema = z.enum(EVENT_CATEGORIES, {
  error: `Category must be one of: ${EVENT_CATEGORIES.join(', ')}`,
});

/** Dates arrive as Date (superjson) or as ISO strings (forms, URLs). */
export function dateSchema(label: string) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? new Date(value) : value),
    z.date({ error: `${label} must be a valid date` }),
  );
}

/** Cursor paging: spread into a list's input, or use `pageInput` alone. */
export const pageFields = {
  cursor: z.string({ error: 'cursor must be text' }).max(500, 'cursor is not valid').optional(),
  limit: z
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(50, 'limit must be at most 50')
    .default(20),
};

export const pageInput = z.object(pageFields).prefault({});

const titleSchema = z
  .string({ error: 'Title is required' })
  .trim()
  .min(3, 'Title must be at least 3 characters')
  .max(120, 'Title must be at most 120 characters');

const descriptionSchema = z
  .string({ error: 'Description is required' })
  .trim()
  .min(1, 'Description is required')
  .max(10_000, 'Description must be at most 10,000 characters');

const tagsSchema = z
  .array(
    z
      .string()
      .trim()
      .toLowerCase()
      .min(1, 'A tag cannot be empty')
      .max(30, 'A tag must be at most 30 characters'),
    { error: 'Tags must be a list of words' },
  )
  .max(10, 'At most 10 tags')
  .transform((tags) => [...new Set(tags)]);

export const latitudeSchema = z
  .number({ error: 'Latitude must be a number' })
  .min(-90, 'Latitude must be between -90 and 90')
  .max(90, 'Latitude must be between -90 and 90');

export const longitudeSchema = z
  .number({ error: 'Longitude must be a number' })
  .min(-180, 'Longitude must be between -180 and 180')
  .max(180, 'Longitude must be between -180 and 180');

export const citySchema = z
  .string({ error: 'City must be text' })
  .trim()
  .min(1, 'City is required')
  .max(100, 'City must be at most 100 characters');

const locationSchema = z.object(
  { city: citySchema, lat: latitudeSchema, lng: longitudeSchema },
  { error: 'Location is required' },
);

const capacitySchema = z
  .number({ error: 'Capacity must be a number' })
  .int('Capacity must be a whole number')
  .min(1, 'Capacity must be at least 1')
  .max(100_000, 'Capacity must be at most 100,000');

const coverImageSchema = z
  .url({
    protocol: /^https?$/,
    hostname: z.regexes.domain,
    error: 'Cover image must be an http(s) URL',
  })
  .max(2048, 'Cover image URL must be at most 2048 characters');

/** Per ticket, in minor units (cents) of the currency; 0 = free. */
const priceSchema = z
  .number({ error: 'Price must be a number' })
  .int('Price is in cents: a whole number')
  .min(0, 'Price cannot be negative')
  .max(1_000_000, 'Price must be at most 1,000,000 cents');

const currencySchema = z.enum(CURRENCIES, {
  error: `Currency must be one of: ${CURRENCIES.join(', ')}`,
});

const allowCancellationSchema = z.boolean({
  error: 'allowTicketCancellation must be true or false',
});

interface Schedule {
  startDate: Date;
  endDate: Date;
}

/**
 * The longest an event may last. Explore relies on it: the events still running at a moment
 * started at most this long before it, which bounds every list's index range on `startDate`.
 */
export const MAX_EVENT_DAYS = 30;
export const MAX_EVENT_DURATION_MS = MAX_EVENT_DAYS * 24 * 60 * 60 * 1000;

/**
 * The schedule rules, for the create schema and for updates (where one side may come from the
 * stored event): the end follows the start within MAX_EVENT_DAYS, and a start being set lies in
 * the future.
 */
export function scheduleProblems(
  schedule: Schedule,
  options: { startIsNew: boolean; now?: Date },
): Array<{ field: keyof Schedule; message: string }> {
  const problems: Array<{ field: keyof Schedule; message: string }> = [];
  if (options.startIsNew && schedule.startDate <= (options.now ?? new Date())) {
    problems.push({ field: 'startDate', message: 'Start must be in the future' });
  }
  const duration = schedule.endDate.getTime() - schedule.startDate.getTime();
  if (duration <= 0) {
    problems.push({ field: 'endDate', message: 'End must be after the start' });
  } else if (duration > MAX_EVENT_DURATION_MS) {
    problems.push({
      field: 'endDate',
      message: `An event lasts at most ${MAX_EVENT_DAYS} days; split longer ones`,
    });
  }
  return problems;
}

export const isValidDate = (value: unknown): value is Date =>
  value instanceof Date && !Number.isNaN(value.getTime());

export const createEventInput = z
  .object({
    title: titleSchema,
    description: descriptionSchema,
    category: categorySchema,
    tags: tagsSchema.default([]),
    location: locationSchema,
    startDate: dateSchema('Start'),
    endDate: dateSchema('End'),
    capacity: capacitySchema,
    coverImage: coverImageSchema.optional(),
    price: priceSchema.default(0),
    currency: currencySchema.default('eur'),
    allowTicketCancellation: allowCancellationSchema.default(false),
  })
  .superRefine(
    (event, context) => {
      const { startDate, endDate } = event;
      if (!isValidDate(startDate) || !isValidDate(endDate)) return;
      for (const problem of scheduleProblems({ startDate, endDate }, { startIsNew: true })) {
        context.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
      }
    },
    // Also when other fields failed, so one answer names every bad field.
    { when: () => true },
  );

/** Any subset of the fields; `coverImage: null` removes the image. */
export const updateEventInput = z.object({
  id: eventIdSchema,
  title: titleSchema.optional(),
  description: descriptionSchema.optional(),
  category: categorySchema.optional(),
  tags: tagsSchema.optional(),
  location: locationSchema.optional(),
  startDate: dateSchema('Start').optional(),
  endDate: dateSchema('End').optional(),
  capacity: capacitySchema.optional(),
  coverImage: coverImageSchema.nullable().optional(),
  price: priceSchema.optional(),
  currency: currencySchema.optional(),
  allowTicketCancellation: allowCancellationSchema.optional(),
});

export const suggestInput = z.object({
  title: z.string({ error: 'Title must be text' }).max(200, 'Title must be at most 200 characters'),
  description: z
    .string({ error: 'Description must be text' })
    .max(10_000, 'Description must be at most 10,000 characters'),
});

export type CreateEventInput = z.infer<typeof createEventInput>;
export type UpdateEventInput = z.infer<typeof updateEventInput>;
export type PageInput = z.infer<typeof pageInput>;
export type SuggestInput = z.infer<typeof suggestInput>;
