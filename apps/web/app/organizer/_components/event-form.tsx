'use client';

import {
  Field,
  fieldErrors,
  formError,
  SelectField,
  TextAreaField,
  useHydrated,
  useTRPC,
} from '@spot/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { CATEGORIES, CATEGORY_LABELS, categoryLabel } from '../../../src/lib/format.ts';
import type { OrganizerEvent, RouterInputs } from '../../../src/trpc/types.ts';

type CreateInput = RouterInputs['events']['create'];
type UpdateInput = RouterInputs['events']['update'];

/** The form's fields, as the inputs hold them (text). */
interface Values {
  title: string;
  description: string;
  category: string;
  tags: string[];
  city: string;
  lat: string;
  lng: string;
  start: string;
  end: string;
  capacity: string;
  coverImage: string;
}

/** A date as a `datetime-local` input shows it: the browser's local time, to the minute. */
function localInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function initialValues(event?: OrganizerEvent): Values {
  return {
    title: event?.title ?? '',
    description: event?.description ?? '',
    category: event?.category ?? '',
    tags: event?.tags ?? [],
    city: event?.location.city ?? '',
    lat: event ? String(event.location.lat) : '',
    lng: event ? String(event.location.lng) : '',
    start: event ? localInput(event.startDate) : '',
    end: event ? localInput(event.endDate) : '',
    capacity: event ? String(event.capacity) : '',
    coverImage: event?.coverImage ?? '',
  };
}

/** The input field each form field's server messages are filed under. */
const INPUT_FIELD: Record<keyof Values, string> = {
  title: 'title',
  description: 'description',
  category: 'category',
  tags: 'tags',
  city: 'location',
  lat: 'location',
  lng: 'location',
  start: 'startDate',
  end: 'endDate',
  capacity: 'capacity',
  coverImage: 'coverImage',
};

const COORDINATE = { type: 'number', step: 'any', inputMode: 'decimal' } as const;

const number = (text: string) => (text.trim() === '' ? undefined : Number(text));

function date(text: string): Date | undefined {
  const value = text ? new Date(text) : undefined;
  return value && !Number.isNaN(value.getTime()) ? value : undefined;
}

/**
 * What the server gets. Blank or unreadable inputs are sent as missing, and the server's schema
 * answers with a message for each field: the form checks nothing itself.
 */
function draftOf(values: Values) {
  return {
    title: values.title,
    description: values.description,
    category: values.category || undefined,
    tags: values.tags,
    location: { city: values.city, lat: number(values.lat), lng: number(values.lng) },
    startDate: date(values.start),
    endDate: date(values.end),
    capacity: number(values.capacity),
    coverImage: values.coverImage.trim() || undefined,
  };
}

interface Props {
  /** The event being edited; a new event otherwise. */
  event?: OrganizerEvent;
}

export function EventForm({ event }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const hydrated = useHydrated();
  const [values, setValues] = useState<Values>(() => initialValues(event));
  const [saved, setSaved] = useState(false);
  // Fields changed since the last save attempt: their old messages no longer apply.
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());

  const create = useMutation(
    trpc.events.create.mutationOptions({
      onSuccess: async (created) => {
        await queryClient.invalidateQueries(trpc.events.mine.pathFilter());
        router.push(`/organizer/events/${created.id}/edit?created=1`);
      },
    }),
  );
  const update = useMutation(
    trpc.events.update.mutationOptions({
      onSuccess: async (updated) => {
        setSaved(true);
        await Promise.all([
          queryClient.invalidateQueries(trpc.events.get.queryFilter({ id: updated.id })),
          queryClient.invalidateQueries(trpc.events.mine.pathFilter()),
        ]);
      },
    }),
  );
  const suggest = useMutation(trpc.events.suggest.mutationOptions());
  const save = event ? update : create;

  function change<Field extends keyof Values>(field: Field, value: Values[Field]) {
    setSaved(false);
    setEdited((current) => new Set(current).add(INPUT_FIELD[field]));
    setValues((current) => ({ ...current, [field]: value }));
  }

  function onSubmit(submit: FormEvent<HTMLFormElement>) {
    submit.preventDefault();
    setEdited(new Set());
    const draft = draftOf(values);
    if (!event) {
      // The server's schema decides what is missing or wrong.
      create.mutate(draft as CreateInput);
      return;
    }
    const initial = initialValues(event);
    // Unchanged dates are not sent: moving them is what the server audits.
    update.mutate({
      ...draft,
      id: event.id,
      startDate: values.start === initial.start ? undefined : draft.startDate,
      endDate: values.end === initial.end ? undefined : draft.endDate,
      coverImage: draft.coverImage ?? null,
    } as UpdateInput);
  }

  const errors = (field: string) => (edited.has(field) ? [] : fieldErrors(save.error, field));
  /** A text input's value, change handler and the server's messages for it. */
  const bind = (field: Exclude<keyof Values, 'tags'>) => ({
    value: values[field],
    onChange: (input: { target: { value: string } }) => change(field, input.target.value),
    errors: errors(INPUT_FIELD[field]),
  });
  const locationErrors = errors('location');
  const message = formError(save.error);
  const suggestion = suggest.data;

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="form event-form">
      {message && (
        <p role="alert" className="form-error">
          {message}
        </p>
      )}
      <Field name="title" label="Title" {...bind('title')} />
      <TextAreaField name="description" label="Description" rows={6} {...bind('description')} />
      <div className="suggest">
        <button
          type="button"
          className="secondary"
          disabled={!hydrated || suggest.isPending}
          onClick={() => suggest.mutate({ title: values.title, description: values.description })}
        >
          {suggest.isPending ? 'Thinking…' : 'Suggest'}
        </button>
        <span className="aside">Suggests a category and tags from the title and description.</span>
      </div>
      {suggest.error && (
        <p role="alert" className="form-error">
          {suggest.error.message}
        </p>
      )}
      {suggestion && (
        <section className="suggestion" aria-label="Suggestion">
          <p>
            Suggested category: <strong>{categoryLabel(suggestion.category)}</strong>{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => change('category', suggestion.category)}
            >
              Use this category
            </button>
          </p>
          {suggestion.tags.length > 0 && (
            <p>
              Suggested tags: {suggestion.tags.join(', ')}{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => change('tags', suggestion.tags)}
              >
                Use these tags
              </button>
            </p>
          )}
          {suggestion.warnings.length > 0 && (
            <ul className="warnings" aria-label="Warnings">
              {suggestion.warnings.map((warning) => (
                <li key={warning.code}>{warning.message}</li>
              ))}
            </ul>
          )}
        </section>
      )}
      <SelectField name="category" label="Category" {...bind('category')}>
        <option value="">Choose a category</option>
        {CATEGORIES.map((category) => (
          <option key={category} value={category}>
            {CATEGORY_LABELS[category]}
          </option>
        ))}
      </SelectField>
      {values.tags.length > 0 && (
        <p className="meta">
          Tags: {values.tags.join(', ')}{' '}
          <button type="button" className="link-button" onClick={() => change('tags', [])}>
            Clear tags
          </button>
        </p>
      )}
      <fieldset
        className="group"
        aria-invalid={locationErrors.length > 0 || undefined}
        aria-describedby={locationErrors.length > 0 ? 'field-location-error' : undefined}
      >
        <legend>Location</legend>
        {/* The group shows the location's messages once, below its three inputs. */}
        <Field name="city" label="City" {...bind('city')} errors={[]} />
        <div className="row">
          <Field name="lat" label="Latitude" {...COORDINATE} {...bind('lat')} errors={[]} />
          <Field name="lng" label="Longitude" {...COORDINATE} {...bind('lng')} errors={[]} />
        </div>
        {locationErrors.length > 0 && (
          <p id="field-location-error" className="field-error">
            {locationErrors.join(' ')}
          </p>
        )}
      </fieldset>
      <div className="row">
        <Field name="startDate" label="Start" type="datetime-local" {...bind('start')} />
        <Field name="endDate" label="End" type="datetime-local" {...bind('end')} />
      </div>
      <Field
        name="capacity"
        label="Capacity"
        type="number"
        min={1}
        step={1}
        inputMode="numeric"
        {...bind('capacity')}
      />
      <Field
        name="coverImage"
        label="Cover image URL"
        type="url"
        placeholder="https://…"
        {...bind('coverImage')}
      />
      <div className="form-actions">
        <button type="submit" disabled={!hydrated || save.isPending}>
          {save.isPending ? 'Saving…' : event ? 'Save changes' : 'Save draft'}
        </button>
        {saved && (
          <span role="status" className="saved">
            Saved
          </span>
        )}
      </div>
    </form>
  );
}
