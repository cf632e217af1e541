import { randomBytes } from 'node:crypto';
import { startEmbeddedMongo } from '@spot/mongo-embedded';
import { MongoClient } from 'mongodb';

export interface TestDatabase {
  /** Connection string naming this test's own database. */
  uri: string;
  dbName: string;
  /** Drops the database and stops the embedded engine (if this call started one). */
  stop(): Promise<void>;
}

function withDatabase(uri: string, dbName: string): string {
  const url = new URL(uri);
  url.pathname = `/${dbName}`;
  return url.toString();
}

/**
 * A private database for one test file: on the real MongoDB named by MONGODB_URI when set,
 * otherwise on an embedded engine started for the file. Tests always talk over the wire.
 */
export async function startTestDatabase(prefix: string): Promise<TestDatabase> {
  const dbName = `${prefix}_${randomBytes(4).toString('hex')}`;
  const external = process.env.MONGODB_URI;
  const engine = external ? undefined : await startEmbeddedMongo({ port: 0 });
  const uri = withDatabase(external ?? (engine?.uri as string), dbName);
  return {
    uri,
    dbName,
    stop: async () => {
      const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 3000 });
      try {
        await client.db(dbName).dropDatabase();
      } finally {
        await client.close();
        await engine?.stop();
      }
    },
  };
}
