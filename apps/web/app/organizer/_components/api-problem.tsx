import type { ApiError } from '@spot/ui';
import Link from 'next/link';

/** A failed organizer query, as the server answered it. */
export function ApiProblem({ error }: { error: ApiError }) {
  switch (error.data?.code) {
    case 'UNAUTHORIZED':
      return (
        <p role="alert" className="form-error">
          Please <Link href="/login">log in</Link> with an organizer account.
        </p>
      );
    case 'FORBIDDEN':
      return (
        <p role="alert" className="form-error">
          Organizers only: {error.message}
        </p>
      );
    case 'NOT_FOUND':
      return (
        <p role="alert" className="form-error">
          Event not found. <Link href="/organizer/events">Back to my events</Link>
        </p>
      );
    default:
      return (
        <p role="alert" className="form-error">
          {error.message}
        </p>
      );
  }
}
