import type { NextConfig } from 'next';

/**
 * The web app that hosts the API. The scanner's browser calls `/api/trpc` on its own origin and
 * Next proxies it there, so the session cookie the API sets is first-party for the scanner.
 * Rewrites are resolved when the config loads: `next dev` reads WEB_URL at start, `next build`
 * bakes it into the build (set it at build time for a deployment).
 */
const WEB_URL = (process.env.WEB_URL ?? 'http://localhost:3000').replace(/\/+$/, '');

const config: NextConfig = {
  // The workspace packages ship TypeScript sources (with `.ts` import specifiers). The scanner
  // imports only types from @spot/api (erased at compile time), listed so that stays true if a
  // value import ever appears.
  transpilePackages: ['@spot/api', '@spot/ui'],
  poweredByHeader: false,
  reactStrictMode: true,
  async rewrites() {
    return [{ source: '/api/trpc/:path*', destination: `${WEB_URL}/api/trpc/:path*` }];
  },
  async headers() {
    return [
      {
        // The service worker must always be revalidated, or a fixed worker would never reach
        // phones that have the old one.
        source: '/sw.js',
        headers: [
          { key: 'Cache-Control', value: 'no-cache, no-store, must-revalidate' },
          { key: 'Content-Type', value: 'application/javascript; charset=utf-8' },
          { key: 'Service-Worker-Allowed', value: '/' },
        ],
      },
      {
        source: '/:path*',
        headers: [
          { key: 'Permissions-Policy', value: 'camera=(self), microphone=(), geolocation=()' },
          {
            key: 'Content-Security-Policy',
            value: "frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
          },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

export default config;
