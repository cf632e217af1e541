'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { Field } from '../../src/components/field.tsx';
import { useHydrated } from '../../src/components/use-hydrated.ts';
import { useTRPC } from '../../src/trpc/client.ts';
import { fieldErrors, formError } from '../../src/trpc/errors.ts';

export function LoginForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const hydrated = useHydrated();
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: (user) => {
        queryClient.setQueryData(trpc.auth.me.queryKey(), user);
        router.push('/');
      },
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    login.mutate({
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    });
  }

  const message = formError(login.error);
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="form">
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
        errors={fieldErrors(login.error, 'email')}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        errors={fieldErrors(login.error, 'password')}
      />
      <button type="submit" disabled={!hydrated || login.isPending}>
        {login.isPending ? 'Logging in…' : 'Log in'}
      </button>
    </form>
  );
}
