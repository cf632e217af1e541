'use client';

import { useState } from 'react';

export interface Position {
  lat: number;
  lng: number;
}

/** The browser's position when asked for it (about a metre, 5 decimals), with failures in words. */
export function useBrowserPosition() {
  const [locating, setLocating] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function locate(onPosition: (position: Position) => void) {
    if (!('geolocation' in navigator)) {
      setError('Your browser cannot share its location.');
      return;
    }
    setLocating(true);
    setError(null);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        onPosition({
          lat: Number(position.coords.latitude.toFixed(5)),
          lng: Number(position.coords.longitude.toFixed(5)),
        });
      },
      (failure) => {
        setLocating(false);
        setError(`Could not get your location: ${failure.message || 'permission denied'}.`);
      },
      { timeout: 10_000, maximumAge: 300_000 },
    );
  }

  return { locate, locating, error };
}
