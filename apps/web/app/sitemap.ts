import { getConfig } from '@spot/config';
import type { MetadataRoute } from 'next';
import { anonymousApi } from '../src/trpc/server.ts';

// Built per request from the database, never at build time.
export const dynamic = 'force-dynamic';

/** A sitemap file holds at most 50,000 URLs. */
const MAX_EVENTS = 45_000;

/** The static pages and every published, upcoming event (what anonymous Explore lists). */
export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const base = getConfig().WEB_URL.replace(/\/$/, '');
  const entries: MetadataRoute.Sitemap = [
    { url: `${base}/`, changeFrequency: 'hourly', priority: 1 },
    { url: `${base}/signup`, changeFrequency: 'yearly', priority: 0.2 },
    { url: `${base}/login`, changeFrequency: 'yearly', priority: 0.1 },
  ];
  const api = await anonymousApi();
  let cursor: string | undefined;
  let count = 0;
  do {
    const page = await api.explore.list({ cursor, limit: 50 });
    for (const event of page.items) {
      entries.push({ url: `${base}/events/${event.id}`, changeFrequency: 'daily', priority: 0.8 });
    }
    count += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor && count < MAX_EVENTS);
  return entries;
}
