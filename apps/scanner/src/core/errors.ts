/**
 * What a failed API call means for the door. tRPC client errors carry the server's error code in
 * `data` (TRPCClientError); an error without it never got a tRPC answer: no network, the proxy
 * could not reach the API, or the request was aborted.
 */
export type ProblemKind =
  /** No answer: offline, timeout, proxy error. Worth retrying with the same nonce. */
  | 'network'
  /** The server failed (5xx): also retried later. */
  | 'server'
  /** TOO_MANY_REQUESTS: slow down, then retry. */
  | 'rate_limited'
  /** PRECONDITION_FAILED: check-in is not open yet for the event. */
  | 'not_open'
  /** CONFLICT: the ticket changed while it was being checked (an undo): scan again. */
  | 'changed'
  /** UNAUTHORIZED: the session ended; sign in again. */
  | 'signed_out'
  /** Any other refusal (bad input, forbidden, not found): retrying will not help. */
  | 'refused';

export interface Problem {
  kind: ProblemKind;
  message: string;
  /** For `rate_limited`: how long the server asked us to wait, when it said. */
  retryAfterMs?: number;
}

interface ErrorLike {
  message?: unknown;
  data?: { code?: unknown; httpStatus?: unknown } | null;
}

const BY_CODE: Record<string, ProblemKind> = {
  TOO_MANY_REQUESTS: 'rate_limited',
  PRECONDITION_FAILED: 'not_open',
  CONFLICT: 'changed',
  UNAUTHORIZED: 'signed_out',
};

export function classifyError(error: unknown): Problem {
  const { message, data } = (error ?? {}) as ErrorLike;
  const text = typeof message === 'string' && message ? message : 'Something went wrong.';
  const code = typeof data?.code === 'string' ? data.code : undefined;
  const status = typeof data?.httpStatus === 'number' ? data.httpStatus : undefined;
  if (!code) return { kind: 'network', message: 'No connection to the server.' };
  const kind = BY_CODE[code] ?? (status !== undefined && status >= 500 ? 'server' : 'refused');
  if (kind === 'rate_limited') {
    // The API says "Too many attempts. Try again in N seconds."
    const seconds = /in (\d+) seconds?/.exec(text)?.[1];
    return seconds
      ? { kind, message: text, retryAfterMs: Number(seconds) * 1000 }
      : { kind, message: text };
  }
  return { kind, message: text };
}

/** Problems worth retrying with the same nonce later (the offline queue keeps the scan). */
export function isTransient(problem: Problem): boolean {
  return problem.kind === 'network' || problem.kind === 'server' || problem.kind === 'rate_limited';
}
