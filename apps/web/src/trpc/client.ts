import type { AppRouter } from '@spot/api';
import { createTRPCClient, httpBatchLink, type TRPCClientErrorLike } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import superjson from 'superjson';

// Type-only import above: the browser bundle gets the router's types, never its code.

/** Where the route handler in app/api/trpc/[trpc] serves the API (same origin: cookies just work). */
export const TRPC_URL = '/api/trpc';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** The typed options proxy components use: `useTRPC().auth.me.queryOptions()`. */
export type Trpc = ReturnType<typeof useTRPC>;

/** An error from any procedure, with the server's formatted shape (`data.zodError`). */
export type ApiError = TRPCClientErrorLike<AppRouter>;

export function makeTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: TRPC_URL, transformer: superjson })],
  });
}
