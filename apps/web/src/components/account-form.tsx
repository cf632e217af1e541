'use client';

import type { SessionUser } from '@spot/api';
import { type ApiError, Field, fieldErrors, formError, useHydrated, useTRPC } from '@spot/ui';
import { type UseMutationResult, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';

export interface AccountField {
  name: string;
  label: string;
  type?: 'email' | 'password' | 'text';
  autoComplete: string;
}

interface AccountFormProps<Input> {
  fields: AccountField[];
  mutation: UseMutationResult<SessionUser, ApiError, Input>;
  /** Reads the mutation's input from the submitted form. */
  toInput: (form: FormData) => Input;
  submitLabel: string;
  pendingLabel: string;
}

/**
 * Where to go after signing in: `?next=` when it is a path on this site (the page that sent the
 * visitor here, e.g. an event's "Get tickets"), home otherwise. Never another origin.
 */
function afterSignIn(): string {
  const next = new URLSearchParams(window.location.search).get('next');
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

/** After log in or sign up the server has set the cookie and said who we are: show it, go on. */
export function useSignedIn(): (user: SessionUser) => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  return (user) => {
    queryClient.setQueryData(trpc.auth.me.queryKey(), user);
    router.push(afterSignIn());
  };
}

/**
 * The log-in and sign-up forms. Validation is the server's (`noValidate`): the browser's own
 * checks would hide its messages, which appear next to each field.
 */
export function AccountForm<Input>({
  fields,
  mutation,
  toInput,
  submitLabel,
  pendingLabel,
}: AccountFormProps<Input>) {
  const hydrated = useHydrated();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    mutation.mutate(toInput(new FormData(event.currentTarget)));
  }

  const message = formError(mutation.error);
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="form">
      {message && (
        <p role="alert" className="form-error">
          {message}
        </p>
      )}
      {fields.map((field) => (
        <Field
          key={field.name}
          name={field.name}
          label={field.label}
          type={field.type}
          autoComplete={field.autoComplete}
          errors={fieldErrors(mutation.error, field.name)}
        />
      ))}
      <button type="submit" disabled={!hydrated || mutation.isPending}>
        {mutation.isPending ? pendingLabel : submitLabel}
      </button>
    </form>
  );
}

export function formText(form: FormData, name: string): string {
  return String(form.get(name) ?? '');
}
