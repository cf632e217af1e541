import { z } from 'zod';
import {
  categorySchema,
  dateSchema,
  isValidDate,
  latitudeSchema,
  longitudeSchema,
  pageFields,
} from '../events/schemas.ts';

export const MAX_RADIUS_KM = 500;

/** Empty form fields mean "no filter". */
export function optionalText(label: string, max: number) {
  return z
    .string({ error: `${label} must be text` })
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .optional()
    .transform((text) => text || undefined);
}

/**
 * Every filter is optional. `from`/`to` keep the events happening at some point in that window
 * (a festival that started before `from` still shows); `lat`/`lng` sort by distance and, with
 * `radiusKm`, keep only the events that close.
 */
export const exploreListInput = z
  .object({
    category: categorySchema.optional(),
    from: dateSchema('from').optional(),
    to: dateSchema('to').optional(),
    text: optionalText('text', 100),
    city: optionalText('city', 100),
    lat: latitudeSchema.optional(),
    lng: longitudeSchema.optional(),
    radiusKm: z
      .number({ error: 'radiusKm must be a number' })
      .positive('radiusKm must be more than 0')
      .max(MAX_RADIUS_KM, `radiusKm must be at most ${MAX_RADIUS_KM}`)
      .optional(),
    ...pageFields,
  })
  .superRefine(
    (filters, context) => {
      const problem = (field: string, message: string) =>
        context.addIssue({ code: 'custom', path: [field], message });
      if (isValidDate(filters.from) && isValidDate(filters.to) && filters.to <= filters.from) {
        problem('to', 'to must be after from');
      }
      const hasLat = filters.lat !== undefined;
      const hasLng = filters.lng !== undefined;
      if (hasLat && !hasLng) problem('lng', 'lng is needed with lat');
      if (hasLng && !hasLat) problem('lat', 'lat is needed with lng');
      if (filters.radiusKm !== undefined && !hasLat && !hasLng) {
        problem('lat', 'radiusKm needs a point: give lat and lng');
        problem('lng', 'radiusKm needs a point: give lat and lng');
      }
    },
    // Also when other fields failed, so one answer names every bad field.
    { when: () => true },
  )
  .prefault({});

export type ExploreListInput = z.infer<typeof exploreListInput>;
