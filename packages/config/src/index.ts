import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Env, envSchemaFor, type Service } from './env.ts';
import { withDevSecrets } from './secrets.ts';

export type { Env, Service } from './env.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The workspace root (the folder holding pnpm-workspace.yaml), wherever a process starts. */
export function workspaceRoot(from = process.cwd()): string {
  let directory = resolve(from);
  while (!existsSync(join(directory, 'pnpm-workspace.yaml'))) {
    const parent = dirname(directory);
    if (parent === directory) return resolve(from);
    directory = parent;
  }
  return directory;
}

/** Where dev data lives: the embedded database, generated secrets, uploads. */
export function dataDirectory(): string {
  return join(workspaceRoot(), '.data');
}

type Source = Record<string, string | undefined>;

/** `.env` files commonly hold `KEY=` for "unset"; treat those as absent. */
function withoutEmptyValues(source: Source): Source {
  return Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
}

/**
 * Reads and validates `service`'s environment. Problems stop start-up with one message naming
 * every offending variable; values are never echoed, as they may be secrets.
 */
export function loadConfig(
  source: Source = process.env,
  dataDir = dataDirectory(),
  service: Service = 'web',
): Env {
  const cleaned = withoutEmptyValues(source);
  const production = cleaned.NODE_ENV === 'production';
  const prepared = production ? cleaned : withDevSecrets(cleaned, dataDir);
  const parsed = envSchemaFor(service).safeParse(prepared);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const message =
        issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
      return `${name} ${message}`;
    });
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}

let cached: Env | undefined;

function loadOnce(service: Service): Env {
  if (!cached) {
    const envFile = join(workspaceRoot(), '.env');
    if (existsSync(envFile)) process.loadEnvFile(envFile);
    cached = loadConfig(process.env, dataDirectory(), service);
  }
  return cached;
}

/**
 * The validated configuration of this process (the workspace `.env` is loaded first, if any): as
 * its start-up read it (configOrExit), else the web app's.
 */
export function getConfig(): Env {
  return loadOnce('web');
}

/**
 * The configuration, read at `service`'s start-up: a bad environment ends the process (exit code
 * 1) with the message naming every offending variable, and no stack trace, since it is not a bug.
 */
export function configOrExit(service: Service = 'web'): Env {
  try {
    return loadOnce(service);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
