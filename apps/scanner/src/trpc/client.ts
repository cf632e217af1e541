import type { AppRouter } from '@spot/api';
import { createTRPCClient, httpLink, type TRPCClientErrorLike } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import superjson from 'superjson';

// Type-only import above: the browser bundle gets the router's types, never its code.

/**
 * The API of apps/web, proxied by this app's rewrite (next.config.ts): same origin for the
 * browser, so the session cookie is first-party here.
 */
export const TRPC_URL = '/api/trpc';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export type Trpc = ReturnType<typeof useTRPC>;
export type ApiError = TRPCClientErrorLike<AppRouter>;
export type ApiClient = ReturnType<typeof makeTrpcClient>;

/**
 * One request per call (no batching): each scan succeeds, fails or is rate limited on its own,
 * and an aborted scan aborts only itself.
 */
export function makeTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: TRPC_URL, transformer: superjson })],
  });
}
