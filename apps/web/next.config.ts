import type { NextConfig } from 'next';
import { SECURITY_HEADERS } from './security-headers.ts';

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
        headers: [...SECURITY_HEADERS],
      },
    ];
  },
};

export default config;
