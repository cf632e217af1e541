// Server components only: calls the API in process (no HTTP), as the visitor whose cookie came in.
import { createServerCaller } from '@spot/api/http';
import { TRPCError } from '@trpc/server';
import { headers } from 'next/headers';
import { cache } from 'react';

/** One caller per request, shared by a page, its layout and `generateMetadata`. */
export const serverApi = cache(async () => createServerCaller(new Headers(await headers())));

/** An anonymous caller, for output that must not depend on who asks (the sitemap). */
export function anonymousApi() {
  return createServerCaller(new Headers());
}

/** The tRPC error code of a failed server call (NOT_FOUND, FORBIDDEN…), or undefined. */
export function trpcCode(error: unknown): TRPCError['code'] | undefined {
  return error instanceof TRPCError ? error.code : undefined;
}

/** A BAD_REQUEST's per-field messages, from the zod error the input failed with. */
export function inputProblems(error: unknown): Array<{ field: string; message: string }> {
  if (!(error instanceof TRPCError) || error.code !== 'BAD_REQUEST') return [];
  const issues = (error.cause as { issues?: Array<{ path: PropertyKey[]; message: string }> })
    ?.issues;
  if (!issues) return [{ field: '', message: error.message }];
  return issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}
