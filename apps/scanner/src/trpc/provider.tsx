'use client';

import { isServer, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { ScannerServicesProvider } from '../components/services.tsx';
import { makeTrpcClient, TRPCProvider } from './client.ts';

/** The server said no (4xx: signed out, forbidden, not found, bad input): asking again won't help. */
function isRefusal(error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: number } | null }).data?.httpStatus;
  return status !== undefined && status >= 400 && status < 500;
}

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (failures, error) => !isRefusal(error) && failures < 2,
      },
      // A door scanner never retries a mutation by itself: scans carry their own nonce and queue.
      mutations: { retry: false },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}

export function Providers({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(makeTrpcClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <ScannerServicesProvider client={trpcClient}>{children}</ScannerServicesProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
