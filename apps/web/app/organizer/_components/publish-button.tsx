'use client';

import { useTRPC } from '@spot/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { EventStatus } from '../../../src/trpc/types.ts';

interface Props {
  eventId: string;
  title: string;
  status: EventStatus;
}

/** Publish a draft or take a published event down; the server says whether it may. */
export function PublishButton({ eventId, title, status }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSuccess = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.events.mine.pathFilter()),
      queryClient.invalidateQueries(trpc.events.get.queryFilter({ id: eventId })),
    ]);
  const publish = useMutation(trpc.events.publish.mutationOptions({ onSuccess }));
  const unpublish = useMutation(trpc.events.unpublish.mutationOptions({ onSuccess }));
  const error = publish.error ?? unpublish.error;
  const pending = publish.isPending || unpublish.isPending;

  let button = null;
  if (status === 'draft') {
    button = (
      <button
        type="button"
        onClick={() => {
          unpublish.reset();
          publish.mutate({ id: eventId });
        }}
        disabled={pending}
        aria-label={`Publish ${title}`}
      >
        {publish.isPending ? 'Publishing…' : 'Publish'}
      </button>
    );
  } else if (status === 'published') {
    button = (
      <button
        type="button"
        className="secondary"
        onClick={() => {
          publish.reset();
          unpublish.mutate({ id: eventId });
        }}
        disabled={pending}
        aria-label={`Unpublish ${title}`}
      >
        {unpublish.isPending ? 'Unpublishing…' : 'Unpublish'}
      </button>
    );
  }
  return (
    <>
      {button}
      {error && (
        <span role="alert" className="field-error">
          {error.message}
        </span>
      )}
    </>
  );
}
