/**
 * Sent with every answer of the web server: its pages (next.config.ts) and the tRPC endpoint
 * (server.ts), which Next does not serve.
 */
export const SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  // No page of ours may be framed by another site (clickjacking on the organizer and admin
  // actions); X-Frame-Options for browsers without frame-ancestors.
  {
    key: 'Content-Security-Policy',
    value: "frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
  },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  // "Use my location" on the explore page; nothing here uses the camera or microphone.
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(self)' },
];
