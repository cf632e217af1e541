import Link from 'next/link';
import type { ApiError } from '../../../src/trpc/client.ts';

/** A failed admin query, as the server answered it. */
export function ApiProblem({ error }: { error: ApiError }) {
  if (error.data?.code === 'UNAUTHORIZED') {
    return (
      <p role="alert" className="form-error">
        Your session ended. Please <Link href="/login?next=/admin">log in</Link> again.
      </p>
    );
  }
  return (
    <p role="alert" className="form-error">
      {error.message}
    </p>
  );
}
