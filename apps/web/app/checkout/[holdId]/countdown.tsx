'use client';

import { useEffect, useState } from 'react';

/** Seconds left until `expiresAt` (the server's), ticking; calls `onExpired` once at zero. */
export function useSecondsLeft(expiresAt: Date, onExpired: () => void): number {
  const [now, setNow] = useState(() => Date.now());
  const left = Math.max(0, Math.ceil((expiresAt.getTime() - now) / 1000));
  useEffect(() => {
    if (left === 0) {
      onExpired();
      return;
    }
    const timer = setTimeout(() => setNow(Date.now()), 1000);
    return () => clearTimeout(timer);
  }, [left, onExpired]);
  return left;
}

export function formatSeconds(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
}
