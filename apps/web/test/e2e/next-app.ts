import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/web, where its production build lives. */
export const WEB_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** The `next` bin of the app in `dir` (its own dependency, resolved from its package). */
export const nextBin = (dir: string) =>
  join(
    dirname(createRequire(join(dir, 'package.json')).resolve('next/package.json')),
    'dist/bin/next',
  );

/** Next's environment: production, whatever vitest set NODE_ENV to. */
export function nextEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...extra };
}

/** How `pnpm start` runs the web server (server.ts, from WEB_DIR), port and all from the env. */
export const WEB_SERVER_ARGS = ['--import', 'tsx', join(WEB_DIR, 'server.ts')];
