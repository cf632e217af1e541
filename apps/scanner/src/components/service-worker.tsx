'use client';

import { useEffect } from 'react';

/**
 * Registers public/sw.js (production builds only: in development it would serve stale code),
 * then asks it to refresh the cached app shell when online, so a new deployment is what opens
 * offline next time.
 */
export function ServiceWorkerRegistration() {
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    if (process.env.NODE_ENV !== 'production') {
      // A worker left over from a production run on this origin would shadow the dev server.
      void navigator.serviceWorker
        .getRegistrations()
        .then((registrations) => Promise.all(registrations.map((r) => r.unregister())))
        .catch(() => undefined);
      return;
    }
    let cancelled = false;
    navigator.serviceWorker
      .register('/sw.js', { scope: '/' })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        if (!cancelled && navigator.onLine)
          registration.active?.postMessage({ type: 'refresh-shell' });
      })
      .catch((error: unknown) =>
        console.warn('The offline service worker did not register:', error),
      );
    return () => {
      cancelled = true;
    };
  }, []);
  return null;
}
