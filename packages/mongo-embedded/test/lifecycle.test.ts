import net from 'node:net';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { clientOptions, hostPortOf, startTestMongo, testDbName } from './helpers/mongo.ts';

// These tests start and stop engines of their own, so they only make sense for the embedded engine.
const embeddedOnly = it.skipIf(!!process.env.MONGODB_URI);

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

describe('engine lifecycle (embedded engine only)', () => {
  embeddedOnly('two engines on random ports keep separate data', async () => {
    const a = await startTestMongo();
    const b = await startTestMongo();
    const ca = new MongoClient(a.uri, clientOptions);
    const cb = new MongoClient(b.uri, clientOptions);
    try {
      expect(hostPortOf(a.uri).port).not.toBe(hostPortOf(b.uri).port);
      const name = testDbName('lifecycle');
      await ca.db(name).collection('c').insertOne({ from: 'a' });
      expect(await cb.db(name).collection('c').countDocuments()).toBe(0);
      expect(await ca.db(name).collection('c').countDocuments()).toBe(1);
    } finally {
      await ca.close();
      await cb.close();
      await a.stop();
      await b.stop();
    }
  });

  embeddedOnly('stop() releases the port and resolves with clients still connected', async () => {
    const server = await startTestMongo();
    const { host, port } = hostPortOf(server.uri);
    const client = new MongoClient(server.uri, {
      ...clientOptions,
      serverSelectionTimeoutMS: 1_000,
    });
    await client.connect();
    expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    expect(await canConnect(host, port)).toBe(true);

    await server.stop();
    expect(await canConnect(host, port)).toBe(false);
    await expect(client.db('admin').command({ ping: 1 })).rejects.toThrow();
    await client.close();
  });
});
