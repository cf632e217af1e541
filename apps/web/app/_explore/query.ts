import type { Category, ExploreInput } from '../../src/trpc/types.ts';

/** Explore's filters as they appear in the URL (`/?category=music&city=Lyon`): all text. */
export interface ExploreQuery {
  category?: string;
  from?: string;
  to?: string;
  city?: string;
  text?: string;
  lat?: string;
  lng?: string;
  radiusKm?: string;
}

export const QUERY_KEYS = [
  'category',
  'from',
  'to',
  'city',
  'text',
  'lat',
  'lng',
  'radiusKm',
] as const satisfies ReadonlyArray<keyof ExploreQuery>;

export const PAGE_SIZE = 12;

type SearchParams = Record<string, string | string[] | undefined>;

/** The filters a URL sets; empty fields (a submitted form's blanks) set nothing. */
export function readQuery(params: SearchParams): ExploreQuery {
  const query: ExploreQuery = {};
  for (const key of QUERY_KEYS) {
    const raw = params[key];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value) query[key] = value;
  }
  return query;
}

export function queryString(query: ExploreQuery): string {
  const params = new URLSearchParams();
  for (const key of QUERY_KEYS) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));

/** The day after a `YYYY-MM-DD` "to" date, so the whole day is included. */
function endOfDay(value: string): string {
  const day = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return value;
  return new Date(day.getTime() + 24 * 60 * 60 * 1000).toISOString();
}

/** explore.list's input for these filters. The API validates and names any bad one. */
export function listInput(query: ExploreQuery): ExploreInput {
  return {
    category: query.category as Category | undefined,
    from: query.from,
    to: query.to && endOfDay(query.to),
    city: query.city,
    text: query.text,
    lat: number(query.lat),
    lng: number(query.lng),
    radiusKm: number(query.radiusKm),
    limit: PAGE_SIZE,
  };
}
