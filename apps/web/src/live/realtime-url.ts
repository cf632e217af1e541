/**
 * Where the browser reaches apps/realtime. NEXT_PUBLIC_REALTIME_URL is inlined at build time;
 * without it, the page's own host on the default realtime port (the `pnpm dev` layout).
 */
export function realtimeUrl(): string {
  const configured = process.env.NEXT_PUBLIC_REALTIME_URL;
  if (configured) return configured;
  return `${window.location.protocol}//${window.location.hostname}:3001`;
}
