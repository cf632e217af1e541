import type { NextConfig } from 'next';

const config: NextConfig = {
  // The workspace packages ship TypeScript sources (with `.ts` import specifiers): Next compiles them.
  transpilePackages: ['@spot/api', '@spot/db', '@spot/config', '@spot/ui'],
  // Database and Redis drivers stay plain Node modules on the server (never bundled, never in the
  // browser). Next already treats mongoose and mongodb this way; listed here to be explicit.
  serverExternalPackages: ['mongoose', 'mongodb', 'ioredis'],
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          // No page of ours may be framed by another site (clickjacking on the organizer and
          // admin actions); X-Frame-Options for browsers without frame-ancestors.
          {
            key: 'Content-Security-Policy',
            value: "frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
          },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          // "Use my location" on the explore page; nothing here uses the camera or microphone.
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(self)' },
        ],
      },
    ];
  },
};

export default config;
