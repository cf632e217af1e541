import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface EngineProcess {
  uri: string;
  stop(): void;
}

/**
 * The embedded engine in its own process, as `pnpm dev` runs it: benchmarks use it so the
 * database and the code under test each get a core.
 */
export async function startEngineProcess(): Promise<EngineProcess> {
  const bin = fileURLToPath(import.meta.resolve('@spot/mongo-embedded/cli'));
  const engine = spawn(process.execPath, [bin, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const uri = await new Promise<string>((resolve, reject) => {
    let output = '';
    engine.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = output.match(/(mongodb:\/\/\S+)/)?.[1];
      if (found) resolve(found);
    });
    engine.once('exit', (code) => reject(new Error(`spot-mongo exited (${code}): ${output}`)));
  });
  return { uri, stop: () => engine.kill() };
}

export function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A private redis-server a test can kill and start again on the same port (empty, as after a
 * crash without persistence), to see what the system does while Redis is gone.
 */
export class RedisProcess {
  private process?: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(port?: number): Promise<RedisProcess> {
    const redis = new RedisProcess(port ?? (await freePort()));
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const probe = new Redis(this.port, '127.0.0.1', {
      lazyConnect: true,
      retryStrategy: () => 50,
    });
    probe.on('error', () => {});
    await probe.connect().catch(() => {});
    while ((await probe.ping().catch(() => null)) !== 'PONG') await sleep(50);
    probe.disconnect();
  }

  /** SIGKILL: no goodbye to clients, as in a crash. */
  async kill(): Promise<void> {
    const running = this.process;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  }
}
