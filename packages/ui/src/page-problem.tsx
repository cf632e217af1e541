'use client';

/**
 * A route's error boundary (error.tsx): the page could not be rendered, by a server error or a
 * lost connection. `retry` fetches it again; the reference is the digest in the server's log.
 */
export function PageFailed({
  error,
  retry,
  home,
}: {
  error: Error & { digest?: string };
  retry: () => void;
  home: { href: string; label: string };
}) {
  return (
    <section className="card" role="alert">
      <h1>Something went wrong</h1>
      <p>This page could not be shown. Try again in a moment.</p>
      {error.digest && <p className="muted">Reference: {error.digest}</p>}
      <p>
        <button type="button" onClick={retry}>
          Try again
        </button>{' '}
        <a href={home.href}>{home.label}</a>
      </p>
    </section>
  );
}

/** A page that does not exist (not-found.tsx). */
export function PageMissing({ home }: { home: { href: string; label: string } }) {
  return (
    <section className="card">
      <h1>Page not found</h1>
      <p>There is no page at this address.</p>
      <p>
        <a href={home.href}>{home.label}</a>
      </p>
    </section>
  );
}
