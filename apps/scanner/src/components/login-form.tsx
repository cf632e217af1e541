'use client';

import { Field, fieldErrors, formError, useHydrated, useTRPC } from '@spot/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect } from 'react';
import { setCachedUser } from '../device/settings.ts';
import { useOnline, useSession } from './hooks.ts';

function text(form: FormData, name: string): string {
  return String(form.get(name) ?? '');
}

/** Email and password (`auth.login`); validation is the server's, shown next to each field. */
export function LoginForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const hydrated = useHydrated();
  const online = useOnline();
  const session = useSession();
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: (user) => {
        setCachedUser(user);
        queryClient.setQueryData(trpc.auth.me.queryKey(), user);
        router.replace('/');
      },
    }),
  );

  const signedIn = session.status === 'signed_in' && !session.offline;
  useEffect(() => {
    if (signedIn) router.replace('/');
  }, [signedIn, router]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    login.mutate({ email: text(form, 'email'), password: text(form, 'password') });
  }

  const message = formError(login.error);
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="form">
      {!online && (
        <p className="notice" role="status">
          You are offline. Logging in needs a connection.
        </p>
      )}
      {message && (
        <p role="alert" className="form-error">
          {message}
        </p>
      )}
      <Field
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        inputMode="email"
        errors={fieldErrors(login.error, 'email')}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        errors={fieldErrors(login.error, 'password')}
      />
      <button type="submit" className="button-large" disabled={!hydrated || login.isPending}>
        {login.isPending ? 'Logging in…' : 'Log in'}
      </button>
    </form>
  );
}
