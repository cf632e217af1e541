/**
 * Type-level end to end: what the server's router declares is what the web client sees. Checked
 * by `pnpm typecheck` (tsc over this folder) and by `next build`; changing `auth.me`'s output or
 * `auth.register`'s input in packages/api breaks both.
 */
import type { AppRouter } from '@spot/api';
import { type Trpc, useTRPC } from '@spot/ui';
import { type QueryClient, useQuery } from '@tanstack/react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { inferInput, inferOutput } from '@trpc/tanstack-react-query';
import { describe, expectTypeOf, it } from 'vitest';
import type { ExploreItem } from '../src/trpc/types.ts';

type Me = {
  id: string;
  name: string;
  email: string;
  role: 'user' | 'organizer' | 'admin';
  isPremium: boolean;
} | null;

type RegisterInput = { email: string; password: string; name: string };

// Never called: only their types are read.
/** What the header component does. */
function useMeData() {
  return useQuery(useTRPC().auth.me.queryOptions()).data;
}
/** What the sign-up and log-in forms write after success. */
function cachedMe(queryClient: QueryClient, trpc: Trpc) {
  return queryClient.getQueryData(trpc.auth.me.queryKey());
}

describe('types shared with the server', () => {
  it('auth.me reaches the client with its exact output type', () => {
    expectTypeOf<inferRouterOutputs<AppRouter>['auth']['me']>().toEqualTypeOf<Me>();
    expectTypeOf<inferOutput<Trpc['auth']['me']>>().toEqualTypeOf<Me>();
    // `data` as a component gets it from useQuery (undefined while loading).
    expectTypeOf<ReturnType<typeof useMeData>>().toEqualTypeOf<Me | undefined>();
    // The query cache is keyed and typed by the same procedure.
    expectTypeOf<ReturnType<typeof cachedMe>>().toEqualTypeOf<Me | undefined>();
  });

  it('auth.register requires email, password and name', () => {
    expectTypeOf<inferRouterInputs<AppRouter>['auth']['register']>().toEqualTypeOf<RegisterInput>();
    expectTypeOf<inferInput<Trpc['auth']['register']>>().toEqualTypeOf<RegisterInput>();
    expectTypeOf<{ email: string; password: string }>().not.toExtend<
      inferInput<Trpc['auth']['register']>
    >();
    expectTypeOf<{ email: string; name: string }>().not.toExtend<
      inferInput<Trpc['auth']['register']>
    >();
    expectTypeOf<{ password: string; name: string }>().not.toExtend<
      inferInput<Trpc['auth']['register']>
    >();
  });

  it('explore.list items reach the client with dates as Date and the category enum', () => {
    type Item = inferOutput<Trpc['explore']['list']>['items'][number];
    expectTypeOf<Item>().toEqualTypeOf<ExploreItem>();
    expectTypeOf<Item['startDate']>().toEqualTypeOf<Date>();
    expectTypeOf<Item['category']>().toEqualTypeOf<
      | 'music'
      | 'sports'
      | 'arts'
      | 'food'
      | 'tech'
      | 'business'
      | 'community'
      | 'education'
      | 'nightlife'
      | 'other'
    >();
    expectTypeOf<Item['location']>().toEqualTypeOf<{ city: string; lat: number; lng: number }>();
    expectTypeOf<Item['distanceKm']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Item['coverImage']>().toEqualTypeOf<string | null>();
  });
});
