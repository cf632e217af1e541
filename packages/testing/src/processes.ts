import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

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

export interface EngineProcess {
  uri: string;
  stop(): void;
}

/**
 * Ends `child` when this process exits, however it exits: an uncaught error skips the `finally`
 * blocks that would otherwise stop it, and it would outlive this process.
 */
export function endWithThisProcess<Child extends ChildProcess>(child: Child): Child {
  const end = () => child.kill();
  process.once('exit', end);
  child.once('exit', () => process.off('exit', end));
  return child;
}

export interface FinishedProcess {
  /** The exit code, or null when the process was stopped by a signal (see runToExit). */
  code: number | null;
  /** stdout and stderr, interleaved as they came. */
  output: string;
}

/**
 * Runs `file` until it exits, for tests of how a program starts or refuses to: one still running
 * after `timeoutMs` is killed, and one whose output so far satisfies `stopWhen` is stopped.
 */
export async function runToExit(
  file: string,
  args: string[],
  options: {
    cwd?: string;
    env: NodeJS.ProcessEnv;
    timeoutMs: number;
    stopWhen?: (output: string) => boolean;
  },
): Promise<FinishedProcess> {
  const child = endWithThisProcess(
    spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    if (options.stopWhen?.(output)) child.kill('SIGTERM');
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  // 'close', not 'exit': by then all of its output has been read.
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, output };
}

/**
 * The embedded engine in its own process, as `pnpm dev` runs it: benchmarks use it so the
 * database and the code under test each get a core.
 */
export async function startEngineProcess(): Promise<EngineProcess> {
  const bin = fileURLToPath(import.meta.resolve('@spot/mongo-embedded/cli'));
  // A server's young generation (see the API's bench stack): it allocates per command. Its
  // collector stays on its own thread: helper threads would take, at the worst moments, the cores
  // that the processes it serves share with it.
  const engine = endWithThisProcess(
    spawn(
      process.execPath,
      ['--max-semi-space-size=64', '--single-threaded-gc', bin, '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    ),
  );
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

/** Whether a `redis-server` binary is on the PATH (Debian: apt-get install redis-server). */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

/**
 * A private redis-server a test can kill and start again on the same port (empty, as after a
 * crash without persistence), to see what the system does while Redis is gone.
 */
export class RedisProcess {
  private child: ChildProcess | undefined;

  constructor(readonly port: number) {}

  /** A new redis-server on a free port (or `port`), ready for clients. */
  static async start(port?: number): Promise<RedisProcess> {
    const redis = new RedisProcess(port ?? (await freePort()));
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start:\n${output}`)),
        10_000,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}):\n${output}`));
      });
    });
  }

  /** SIGKILL: Redis vanishes the way a crash or a network cut looks to its clients. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}
