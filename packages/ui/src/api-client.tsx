'use client';

import type { AppRouter } from '@spot/api';
import { isServer, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpLink, type TRPCClientErrorLike } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { type ReactNode, useState } from 'react';
import superjson from 'superjson';

// Type-only import of the router: the browser bundle gets its types, never its code.

/**
 * Where the browser calls the API: the web app's API route, or the scanner's rewrite to it;
 * same origin either way, so the session cookie is first-party.
 */
export const TRPC_URL = '/api/trpc';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** The typed options proxy components use: `useTRPC().auth.me.queryOptions()`. */
export type Trpc = ReturnType<typeof useTRPC>;

/** An error from any procedure, with the server's formatted shape (`data.zodError`). */
export type ApiError = TRPCClientErrorLike<AppRouter>;

export type ApiClient = ReturnType<typeof makeTrpcClient>;

export function makeTrpcClient(batch: boolean) {
  const link = batch ? httpBatchLink : httpLink;
  return createTRPCClient<AppRouter>({ links: [link({ url: TRPC_URL, transformer: superjson })] });
}

/** The server said no (4xx: signed out, forbidden, not found, bad input): asking again won't help. */
function isRefusal(error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: number } | null }).data?.httpStatus;
  return status !== undefined && status >= 400 && status < 500;
}

export interface ApiProvidersProps {
  children: ReactNode;
  /** Several calls in one request (pages), or one request per call (a scan stands alone). */
  batch: boolean;
  /** How often a failed query is tried again (never after a refusal). */
  queryRetries: number;
  /** Whether a failed mutation is tried again by itself. */
  retryMutations: boolean;
}

type QueryDefaults = Omit<ApiProvidersProps, 'children' | 'batch'>;

function makeQueryClient({ queryRetries, retryMutations }: QueryDefaults): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (failures, error) => !isRefusal(error) && failures < queryRetries,
      },
      mutations: retryMutations ? {} : { retry: false },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

/** One client per server render (no data shared between requests), one for the browser's lifetime. */
function getQueryClient(defaults: QueryDefaults): QueryClient {
  if (isServer) return makeQueryClient(defaults);
  browserQueryClient ??= makeQueryClient(defaults);
  return browserQueryClient;
}

/** React Query and the typed tRPC client for an app's pages. */
export function ApiProviders({ children, batch, ...defaults }: ApiProvidersProps) {
  const queryClient = getQueryClient(defaults);
  const [trpcClient] = useState(() => makeTrpcClient(batch));
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
