'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { Field } from '../../src/components/field.tsx';
import { useHydrated } from '../../src/components/use-hydrated.ts';
import { useTRPC } from '../../src/trpc/client.ts';
import { fieldErrors, formError } from '../../src/trpc/errors.ts';

export function SignupForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const hydrated = useHydrated();
  const register = useMutation(
    trpc.auth.register.mutationOptions({
      onSuccess: (user) => {
        // The server set the session cookie; it also answered who we are now.
        queryClient.setQueryData(trpc.auth.me.queryKey(), user);
        router.push('/');
      },
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    register.mutate({
      name: String(form.get('name') ?? ''),
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    });
  }

  const message = formError(register.error);
  // Validation is the server's: the browser's own checks would hide its messages.
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="form">
      {message && (
        <p role="alert" className="form-error">
          {message}
        </p>
      )}
      <Field
        name="name"
        label="Name"
        autoComplete="name"
        errors={fieldErrors(register.error, 'name')}
      />
      <Field
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        errors={fieldErrors(register.error, 'email')}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        errors={fieldErrors(register.error, 'password')}
      />
      <button type="submit" disabled={!hydrated || register.isPending}>
        {register.isPending ? 'Creating account…' : 'Create account'}
      </button>
    </form>
  );
}
