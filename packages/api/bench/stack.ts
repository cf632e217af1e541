/**
 * What every benchmark runs on: the embedded engine in its own process (or MONGODB_URI), Redis
 * when asked for (REDIS_URL, else a private redis-server), and the API served by its own process
 * (api-server.ts), each with fresh secrets. The benchmark process itself only seeds data and
 * generates load.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { connectDatabase, disconnectDatabase, type EventFields } from '@spot/db';
import {
  endWithThisProcess,
  hasRedisServer,
  RedisProcess,
  startEngineProcess,
  startTestDatabase,
} from '@spot/testing';
import { TRPC_ENDPOINT } from '../src/http.ts';

export interface BenchStack {
  /** The tRPC endpoint of the API process. */
  trpcUrl: string;
  /** The benchmark's own database (already connected in this process too). */
  mongoUri: string;
  redisUrl: string | undefined;
  stop(): Promise<void>;
}

function prepareEnvironment(): void {
  process.env.NODE_ENV ??= 'test';
  process.env.JWT_SECRET ??= randomBytes(48).toString('base64url');
  process.env.QR_SIGNING_KEY ??= generateKeyPairSync('ed25519')
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
  // Payments go through the simulated provider.
  delete process.env.STRIPE_SECRET_KEY;
  delete process.env.STRIPE_WEBHOOK_SECRET;
}

/** The V8 flags apps/web's `start` script gives the web server in production; the README says why. */
const API_NODE_FLAGS = [
  '--max-semi-space-size=64',
  '--heap-growing-percent=300',
  '--concurrent-marking-max-worker-num=1',
];

async function startApiProcess(env: NodeJS.ProcessEnv) {
  const script = fileURLToPath(new URL('./api-server.ts', import.meta.url));
  // BENCH_CPU_PROFILE=<dir>: the API process writes a V8 CPU profile there when it exits.
  const profile = process.env.BENCH_CPU_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
    : [];
  const api = endWithThisProcess(
    spawn(process.execPath, [...profile, ...API_NODE_FLAGS, '--import', 'tsx', script], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    api.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = output.match(/api: (\S+)/)?.[1];
      if (found) resolve(found);
    });
    api.once('exit', (code) => reject(new Error(`the API process exited (${code}): ${output}`)));
  });
  return { baseUrl, stop: () => api.kill('SIGTERM') };
}

export async function startBenchStack(options: {
  prefix: string;
  redis: boolean;
}): Promise<BenchStack> {
  prepareEnvironment();
  const engine = process.env.MONGODB_URI ? undefined : await startEngineProcess();
  if (engine) process.env.MONGODB_URI = engine.uri;
  const database = await startTestDatabase(options.prefix);
  await connectDatabase(database.uri);

  let redis: RedisProcess | undefined;
  let redisUrl = options.redis ? process.env.REDIS_URL : undefined;
  if (options.redis && !redisUrl) {
    if (!hasRedisServer()) throw new Error('This benchmark needs Redis: set REDIS_URL.');
    redis = await RedisProcess.start();
    redisUrl = redis.url;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, MONGODB_URI: database.uri };
  if (redisUrl) env.REDIS_URL = redisUrl;
  else delete env.REDIS_URL;
  const api = await startApiProcess(env);

  return {
    trpcUrl: `${api.baseUrl}${TRPC_ENDPOINT}`,
    mongoUri: database.uri,
    redisUrl,
    async stop() {
      api.stop();
      await disconnectDatabase();
      await database.stop();
      engine?.stop();
      await redis?.kill();
    },
  };
}

/** A published event in Lyon starting at `startDate` (4 hours long): what the benchmarks sell and scan. */
export function benchEvent(
  fields: Partial<EventFields> & Pick<EventFields, 'title' | 'startDate'>,
) {
  return {
    description: 'A benchmark event.',
    category: 'music' as const,
    location: {
      city: 'Lyon',
      lat: 45.76,
      lng: 4.83,
      point: { type: 'Point' as const, coordinates: [4.83, 45.76] },
    },
    endDate: new Date(fields.startDate.getTime() + 4 * 3_600_000),
    capacity: 100_000,
    isPublished: true,
    ...fields,
  };
}
