'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { CATEGORIES, CATEGORY_LABELS } from '../../src/lib/format.ts';
import { useBrowserPosition } from '../../src/lib/use-position.ts';
import { type ExploreQuery, queryString } from './query.ts';

const RADII_KM = [5, 10, 25, 50, 100];

type Point = { lat: string; lng: string };

/**
 * Explore's filters. A plain GET form (it works before hydration too); once hydrated, it drops
 * blank fields from the URL and navigates client-side. "Near me" asks the browser for a position.
 */
export function ExploreFilters({ query }: { query: ExploreQuery }) {
  const router = useRouter();
  const [point, setPoint] = useState<Point | null>(
    query.lat && query.lng ? { lat: query.lat, lng: query.lng } : null,
  );
  const position = useBrowserPosition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next: ExploreQuery = {};
    for (const [key, value] of form) {
      if (typeof value === 'string' && value.trim()) next[key as keyof ExploreQuery] = value.trim();
    }
    router.push(`/${queryString(next)}`);
  }

  const locate = () =>
    position.locate(({ lat, lng }) => setPoint({ lat: String(lat), lng: String(lng) }));

  return (
    <form method="get" action="/" onSubmit={onSubmit} className="filters" aria-label="Filters">
      <div className="field">
        <label htmlFor="filter-text">Search</label>
        <input
          id="filter-text"
          name="text"
          type="search"
          defaultValue={query.text}
          placeholder="Title or description"
        />
      </div>
      <div className="field">
        <label htmlFor="filter-category">Category</label>
        <select id="filter-category" name="category" defaultValue={query.category ?? ''}>
          <option value="">Any category</option>
          {CATEGORIES.map((category) => (
            <option key={category} value={category}>
              {CATEGORY_LABELS[category]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-city">City</label>
        <input id="filter-city" name="city" defaultValue={query.city} />
      </div>
      <div className="field">
        <label htmlFor="filter-from">From</label>
        <input id="filter-from" name="from" type="date" defaultValue={query.from} />
      </div>
      <div className="field">
        <label htmlFor="filter-to">To</label>
        <input id="filter-to" name="to" type="date" defaultValue={query.to} />
      </div>
      <fieldset className="near">
        <legend>Near me</legend>
        {point ? (
          <>
            <input type="hidden" name="lat" value={point.lat} />
            <input type="hidden" name="lng" value={point.lng} />
            <div className="field">
              <label htmlFor="filter-radius">Within</label>
              <select id="filter-radius" name="radiusKm" defaultValue={query.radiusKm ?? '25'}>
                {RADII_KM.map((km) => (
                  <option key={km} value={km}>
                    {km} km
                  </option>
                ))}
              </select>
            </div>
            <button type="button" className="link-button" onClick={() => setPoint(null)}>
              Forget my location
            </button>
          </>
        ) : (
          <button type="button" className="secondary" onClick={locate} disabled={position.locating}>
            {position.locating ? 'Locating…' : 'Use my location'}
          </button>
        )}
        {position.error && <p className="field-error">{position.error}</p>}
      </fieldset>
      <div className="filter-actions">
        <button type="submit">Search</button>
        <a href="/">Clear filters</a>
      </div>
    </form>
  );
}
