import type { ApiError } from '@spot/ui';
import Link from 'next/link';

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
