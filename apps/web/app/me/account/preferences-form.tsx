'use client';

import { formError, useTRPC } from '@spot/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { CATEGORIES, CATEGORY_LABELS } from '../../../src/lib/format.ts';
import { type Position, useBrowserPosition } from '../../../src/lib/use-position.ts';
import type { Category } from '../../../src/trpc/types.ts';

/** The interests and location "For you" on the home page is made of. */
export function PreferencesForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const saved = useQuery(trpc.auth.preferences.queryOptions());
  const save = useMutation(
    trpc.auth.updatePreferences.mutationOptions({
      onSuccess: (preferences) => {
        queryClient.setQueryData(trpc.auth.preferences.queryKey(), preferences);
        return queryClient.invalidateQueries(trpc.explore.forYou.pathFilter());
      },
    }),
  );
  // undefined: as saved; null: forgotten.
  const [location, setLocation] = useState<Position | null | undefined>(undefined);
  const position = useBrowserPosition();

  if (saved.isPending) return <p aria-live="polite">Loading…</p>;
  if (saved.isError) {
    return (
      <p role="alert" className="form-error">
        {saved.error.message}
      </p>
    );
  }
  const shownLocation = location === undefined ? saved.data.location : location;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate({
      interests: form.getAll('interests').map(String) as Category[],
      location: shownLocation,
    });
  }

  const message = formError(save.error);
  return (
    <form onSubmit={onSubmit} className="form" aria-label="Your interests">
      {message && (
        <p role="alert" className="form-error">
          {message}
        </p>
      )}
      {save.isSuccess && (
        <p role="status" className="notice">
          Saved. "For you" on the home page follows them.
        </p>
      )}
      <fieldset className="group checks">
        <legend>Categories you like</legend>
        {CATEGORIES.map((category) => (
          <label key={category}>
            <input
              type="checkbox"
              name="interests"
              value={category}
              defaultChecked={saved.data.interests.includes(category)}
            />{' '}
            {CATEGORY_LABELS[category]}
          </label>
        ))}
      </fieldset>
      <fieldset className="group">
        <legend>Where you are</legend>
        {shownLocation ? (
          <p>
            Near {shownLocation.lat}, {shownLocation.lng}: nearest events first.{' '}
            <button type="button" className="link-button" onClick={() => setLocation(null)}>
              Forget it
            </button>
          </p>
        ) : (
          <p>
            <button
              type="button"
              className="secondary"
              disabled={position.locating}
              onClick={() => position.locate(setLocation)}
            >
              {position.locating ? 'Locating…' : 'Use my location'}
            </button>
          </p>
        )}
        {position.error && <p className="field-error">{position.error}</p>}
      </fieldset>
      <button type="submit" disabled={save.isPending}>
        {save.isPending ? 'Saving…' : 'Save interests'}
      </button>
    </form>
  );
}
