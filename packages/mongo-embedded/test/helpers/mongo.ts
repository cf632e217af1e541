import { randomBytes } from 'node:crypto';
import { type Db, MongoClient, type MongoClientOptions } from 'mongodb';
import { afterAll, beforeAll } from 'vitest';

/** A MongoDB server the tests talk to: a real one (MONGODB_URI) or the embedded engine. */
export interface TestMongo {
  uri: string;
  /** True when the server is the embedded engine started by this process. */
  embedded: boolean;
  stop(): Promise<void>;
}

/** True when the suite runs against a real MongoDB given by MONGODB_URI. */
export const usingRealMongo = !!process.env.MONGODB_URI;

/**
 * Start the server under test. With MONGODB_URI set, that real MongoDB is used
 * (and stop() is a no-op); otherwise an embedded engine on a random port.
 */
export async function startTestMongo(): Promise<TestMongo> {
  const real = process.env.MONGODB_URI;
  if (real) {
    return { uri: real, embedded: false, stop: async () => {} };
  }
  const { startEmbeddedMongo } = await import('../../src/index.ts');
  const server = await startEmbeddedMongo({ port: 0 });
  return { uri: server.uri, embedded: true, stop: () => server.stop() };
}

/** Options every test client uses: fail fast rather than wait 30 s for a dead server. */
export const clientOptions: MongoClientOptions = {
  serverSelectionTimeoutMS: 5_000,
  connectTimeoutMS: 5_000,
};

/** A database name unique to one test file and one run: spot_test_<tag>_<random>. */
export function testDbName(tag: string): string {
  const clean = tag.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 24);
  return `spot_test_${clean}_${randomBytes(4).toString('hex')}`;
}

/** Host and port of a mongodb:// URI (the first host of a seed list). */
export function hostPortOf(uri: string): { host: string; port: number } {
  const m = /^mongodb:\/\/(?:[^@/]*@)?([^/?,]+)/.exec(uri);
  if (!m?.[1]) throw new Error(`cannot parse host from ${uri}`);
  const hostPort = m[1];
  const idx = hostPort.lastIndexOf(':');
  if (idx < 0) return { host: hostPort, port: 27017 };
  return {
    host: hostPort.slice(0, idx).replace(/^\[|\]$/g, ''),
    port: Number(hostPort.slice(idx + 1)),
  };
}

export interface TestContext {
  readonly server: TestMongo;
  readonly uri: string;
  /** The file's shared, pooled client. */
  readonly client: MongoClient;
  /** The file's own database (dropped after the file). */
  readonly db: Db;
  readonly dbName: string;
  /** Another connected client to the same server, closed after the file. */
  newClient(options?: MongoClientOptions): Promise<MongoClient>;
  /** Another database name owned by this file (dropped after the file). */
  extraDbName(suffix: string): string;
}

/**
 * Register beforeAll/afterAll hooks that start the server, connect a client and
 * give this file its own database, dropped afterwards.
 */
export function useTestMongo(tag: string, options: MongoClientOptions = {}): TestContext {
  let server: TestMongo | undefined;
  let client: MongoClient | undefined;
  const dbName = testDbName(tag);
  const extraDbs: string[] = [];
  const extraClients: MongoClient[] = [];

  beforeAll(async () => {
    server = await startTestMongo();
    client = new MongoClient(server.uri, { ...clientOptions, ...options });
    await client.connect();
  });

  afterAll(async () => {
    try {
      for (const c of extraClients) await c.close().catch(() => {});
      if (client) {
        for (const name of [dbName, ...extraDbs]) {
          await client
            .db(name)
            .dropDatabase()
            .catch(() => {});
        }
        await client.close();
      }
    } finally {
      await server?.stop();
    }
  });

  const ctx: TestContext = {
    get server() {
      if (!server) throw new Error('server not started');
      return server;
    },
    get uri() {
      return ctx.server.uri;
    },
    get client() {
      if (!client) throw new Error('client not connected');
      return client;
    },
    get db() {
      return ctx.client.db(dbName);
    },
    dbName,
    async newClient(extra: MongoClientOptions = {}) {
      const c = new MongoClient(ctx.uri, { ...clientOptions, ...extra });
      extraClients.push(c);
      await c.connect();
      return c;
    },
    extraDbName(suffix: string) {
      const name = testDbName(`${tag}_${suffix}`);
      extraDbs.push(name);
      return name;
    },
  };
  return ctx;
}

/** Await a promise expected to reject and return its error. */
export async function rejectionOf(p: Promise<unknown>): Promise<Error & Record<string, any>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, any>;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}
