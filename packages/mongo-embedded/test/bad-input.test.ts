import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { deserialize, serialize } from 'bson';
import { MongoClient, MongoServerError } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientOptions, hostPortOf, rejectionOf, useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('bad_input');
const rawOnly = it.skipIf(!!process.env.MONGODB_URI);

const OP_MSG = 2013;
let nextRequestId = 1000;

/** A raw TCP connection that buffers everything the server sends and notes when it closes. */
class RawConn {
  private buf = Buffer.alloc(0);
  closed = false;
  private constructor(readonly sock: net.Socket) {
    sock.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
    });
    sock.on('close', () => {
      this.closed = true;
    });
    sock.on('error', () => {
      this.closed = true;
    });
  }

  static open(): Promise<RawConn> {
    const { host, port } = hostPortOf(ctx.uri);
    return new Promise((resolve, reject) => {
      const sock = net.connect({ host, port }, () => resolve(new RawConn(sock)));
      sock.once('error', reject);
    });
  }

  write(data: Buffer): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return resolve();
      this.sock.write(data, () => resolve());
    });
  }

  /** Wait until a whole message has arrived (returned), the socket closed ('closed') or time ran out ('silent'). */
  async next(timeoutMs = 3000): Promise<Buffer | 'closed' | 'silent'> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.buf.length >= 4) {
        const len = this.buf.readInt32LE(0);
        if (len >= 16 && this.buf.length >= len) {
          const msg = this.buf.subarray(0, len);
          this.buf = this.buf.subarray(len);
          return msg;
        }
      }
      if (this.closed) return 'closed';
      if (Date.now() > deadline) return 'silent';
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async waitClosed(timeoutMs = 3000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return this.closed;
  }

  destroy() {
    this.sock.destroy();
  }
}

function header(length: number, requestId: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** An OP_MSG frame whose single kind-0 section holds the given raw BSON bytes. */
function opMsgRaw(bsonBytes: Buffer, requestId = nextRequestId++): Buffer {
  const body = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), bsonBytes]);
  return Buffer.concat([header(16 + body.length, requestId, OP_MSG), body]);
}

function opMsg(doc: object, requestId = nextRequestId++): Buffer {
  return opMsgRaw(Buffer.from(serialize(doc)), requestId);
}

/** Parse an OP_MSG reply: header fields and the kind-0 body document. */
function parseReply(msg: Buffer): { responseTo: number; opCode: number; doc: Record<string, any> } {
  const responseTo = msg.readInt32LE(8);
  const opCode = msg.readInt32LE(12);
  expect(opCode).toBe(OP_MSG);
  expect(msg[20]).toBe(0); // section kind 0
  const docLen = msg.readInt32LE(21);
  const doc = deserialize(msg.subarray(21, 21 + docLen));
  return { responseTo, opCode, doc };
}

/** A fresh client pings, the long-lived client still reads data, and a raw ping works. */
async function expectServerHealthy() {
  const fresh = new MongoClient(ctx.uri, clientOptions);
  try {
    await fresh.connect();
    expect((await fresh.db('admin').command({ ping: 1 })).ok).toBe(1);
  } finally {
    await fresh.close();
  }
  expect((await ctx.client.db('admin').command({ ping: 1 })).ok).toBe(1);
  expect(await ctx.db.collection('sentinel').findOne({ _id: 'alive' as any })).toEqual({
    _id: 'alive',
  });
}

async function expectRawPingWorks() {
  const conn = await RawConn.open();
  try {
    const id = nextRequestId++;
    await conn.write(opMsg({ ping: 1, $db: 'admin' }, id));
    const reply = await conn.next();
    expect(Buffer.isBuffer(reply)).toBe(true);
    const parsed = parseReply(reply as Buffer);
    expect(parsed.responseTo).toBe(id);
    expect(parsed.doc.ok).toBe(1);
  } finally {
    conn.destroy();
  }
}

/** The server must answer with an error or drop the connection: never ok:1, never silence. */
async function expectRejectedOrClosed(conn: RawConn) {
  const outcome = await conn.next(3000);
  expect(outcome).not.toBe('silent');
  if (Buffer.isBuffer(outcome)) {
    const { doc } = parseReply(outcome);
    expect(doc.ok).not.toBe(1);
  }
}

beforeAll(async () => {
  await ctx.db.collection('sentinel').insertOne({ _id: 'alive' as any });
});

describe('raw wire protocol robustness (embedded engine only)', () => {
  rawOnly('a well-formed raw OP_MSG ping gets an OP_MSG reply', async () => {
    await expectRawPingWorks();
  });

  rawOnly('a frame split across many small writes is reassembled', async () => {
    const conn = await RawConn.open();
    try {
      const id = nextRequestId++;
      const frame = opMsg({ ping: 1, $db: 'admin' }, id);
      for (let i = 0; i < frame.length; i += 3) {
        await conn.write(frame.subarray(i, i + 3));
        await new Promise((r) => setTimeout(r, 2));
      }
      const reply = await conn.next();
      expect(Buffer.isBuffer(reply)).toBe(true);
      expect(parseReply(reply as Buffer)).toMatchObject({ responseTo: id, doc: { ok: 1 } });
    } finally {
      conn.destroy();
    }
  });

  rawOnly('two frames in one write get two replies in order', async () => {
    const conn = await RawConn.open();
    try {
      const a = nextRequestId++;
      const b = nextRequestId++;
      await conn.write(
        Buffer.concat([
          opMsg({ ping: 1, $db: 'admin' }, a),
          opMsg({ count: 'sentinel', query: { _id: 'alive' }, $db: ctx.dbName }, b),
        ]),
      );
      const r1 = await conn.next();
      const r2 = await conn.next();
      expect(Buffer.isBuffer(r1) && Buffer.isBuffer(r2)).toBe(true);
      const p1 = parseReply(r1 as Buffer);
      const p2 = parseReply(r2 as Buffer);
      expect(p1.responseTo).toBe(a);
      expect(p1.doc.ok).toBe(1);
      expect(p2.responseTo).toBe(b);
      expect(p2.doc).toMatchObject({ ok: 1, n: 1 });
    } finally {
      conn.destroy();
    }
  });

  rawOnly('random garbage bytes do not take the server down', async () => {
    for (let i = 0; i < 3; i++) {
      const conn = await RawConn.open();
      await conn.write(randomBytes(256));
      await conn.next(300);
      conn.destroy();
    }
    await expectServerHealthy();
    await expectRawPingWorks();
  });

  rawOnly('a frame with a valid length but an unknown opcode and garbage body', async () => {
    const conn = await RawConn.open();
    const body = randomBytes(48);
    await conn.write(Buffer.concat([header(16 + body.length, nextRequestId++, 7777), body]));
    await conn.next(500);
    conn.destroy();
    await expectServerHealthy();
  });

  rawOnly(
    'a declared length smaller than the header makes the server drop the connection',
    async () => {
      for (const bad of [0, 8, 15, -1]) {
        const conn = await RawConn.open();
        await conn.write(Buffer.concat([header(bad, nextRequestId++, OP_MSG), randomBytes(16)]));
        expect(await conn.waitClosed(3000)).toBe(true);
        conn.destroy();
      }
      await expectServerHealthy();
    },
  );

  rawOnly(
    'a declared length of 1 GiB makes the server drop the connection without buffering',
    async () => {
      const conn = await RawConn.open();
      await conn.write(
        Buffer.concat([header(1024 * 1024 * 1024, nextRequestId++, OP_MSG), randomBytes(64)]),
      );
      expect(await conn.waitClosed(3000)).toBe(true);
      conn.destroy();
      await expectServerHealthy();
      await expectRawPingWorks();
    },
  );

  rawOnly('a truncated message followed by a close is forgotten', async () => {
    const conn = await RawConn.open();
    const frame = opMsg({ insert: 'sentinel', documents: [{ _id: 'truncated' }], $db: ctx.dbName });
    await conn.write(frame.subarray(0, frame.length - 10));
    conn.sock.end();
    await conn.waitClosed(3000);
    conn.destroy();
    await expectServerHealthy();
    expect(await ctx.db.collection('sentinel').findOne({ _id: 'truncated' as any })).toBeNull();
  });

  rawOnly('a half-sent message on an open socket does not block other clients', async () => {
    const conn = await RawConn.open();
    try {
      await conn.write(header(200, nextRequestId++, OP_MSG));
      await conn.write(randomBytes(40));
      await expectServerHealthy();
      await expectRawPingWorks();
      expect(conn.closed).toBe(false);
    } finally {
      conn.destroy();
    }
  });

  rawOnly('an OP_MSG whose BSON body is invalid is rejected, not executed or hung', async () => {
    const valid = Buffer.from(serialize({ ping: 1, $db: 'admin' }));
    const variants: Buffer[] = [];
    // 1. BSON length larger than the bytes present.
    const tooLong = Buffer.from(valid);
    tooLong.writeInt32LE(valid.length + 100, 0);
    variants.push(tooLong);
    // 2. Unknown element type byte.
    const badType = Buffer.from(valid);
    badType[4] = 0x20;
    variants.push(badType);
    // 3. Missing the terminating NUL.
    const noNul = Buffer.from(valid);
    noNul[noNul.length - 1] = 0x01;
    variants.push(noNul);
    // 4. A string element whose length prefix runs past the document.
    const badString = Buffer.from(serialize({ hello: 'x', $db: 'admin' }));
    badString.writeInt32LE(0x7fffffff, 4 + 1 + 'hello'.length + 1);
    variants.push(badString);
    // 5. Negative document length.
    const negative = Buffer.from(valid);
    negative.writeInt32LE(-5, 0);
    variants.push(negative);

    for (const bson of variants) {
      const conn = await RawConn.open();
      try {
        await conn.write(opMsgRaw(bson));
        await expectRejectedOrClosed(conn);
      } finally {
        conn.destroy();
      }
    }
    await expectServerHealthy();
  });

  rawOnly('an OP_MSG with an unknown section kind is rejected', async () => {
    const conn = await RawConn.open();
    try {
      const doc = Buffer.from(serialize({ ping: 1, $db: 'admin' }));
      const body = Buffer.concat([Buffer.alloc(4), Buffer.from([9]), doc]);
      await conn.write(Buffer.concat([header(16 + body.length, nextRequestId++, OP_MSG), body]));
      await expectRejectedOrClosed(conn);
    } finally {
      conn.destroy();
    }
    await expectServerHealthy();
  });

  rawOnly('an OP_MSG without $db is answered with an error', async () => {
    const conn = await RawConn.open();
    try {
      await conn.write(opMsg({ ping: 1 }));
      await expectRejectedOrClosed(conn);
    } finally {
      conn.destroy();
    }
    await expectServerHealthy();
  });

  rawOnly('a burst of connections opened and dropped does not hurt the server', async () => {
    const conns = await Promise.all(Array.from({ length: 50 }, () => RawConn.open()));
    for (const c of conns) c.destroy();
    await expectServerHealthy();
  });
});

describe('bad input through the driver', () => {
  it('a document over 16 MiB is rejected and the server stays healthy', async () => {
    const coll = ctx.db.collection('big');
    const big = 'x'.repeat(17 * 1024 * 1024);
    const err = await rejectionOf(coll.insertOne({ big }));
    expect(err).toBeInstanceOf(Error);
    const err2 = await rejectionOf(coll.insertMany([{ small: 1 }, { big }]));
    expect(err2).toBeInstanceOf(Error);
    expect(await coll.countDocuments({ big: { $exists: true } })).toBe(0);
    await expectServerHealthy();
  });

  it('an update growing a document beyond 16 MiB fails', async () => {
    const coll = ctx.db.collection('grow');
    const chunk = 'y'.repeat(6 * 1024 * 1024);
    await coll.insertOne({ _id: 'g' as any, a: chunk });
    await coll.updateOne({ _id: 'g' as any }, { $set: { b: chunk } });
    const err = await rejectionOf(coll.updateOne({ _id: 'g' as any }, { $set: { c: chunk } }));
    expect(err).toBeInstanceOf(MongoServerError);
    const doc = await coll.findOne({ _id: 'g' as any }, { projection: { a: 0, b: 0 } });
    expect(doc).toEqual({ _id: 'g' });
    await expectServerHealthy();
  });

  it('an unknown query operator fails with BadValue (2)', async () => {
    const err = await rejectionOf(
      ctx.db
        .collection('sentinel')
        .find({ a: { $bogus: 1 } })
        .toArray(),
    );
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(2);
    expect(err.message).toContain('$bogus');
    const err2 = await rejectionOf(
      ctx.db.collection('sentinel').countDocuments({ a: { $bogus: 1 } }),
    );
    expect(err2.code).toBe(2);
    const err3 = await rejectionOf(
      ctx.db.collection('sentinel').updateOne({ a: { $bogus: 1 } }, { $set: { b: 1 } }),
    );
    expect(err3.code).toBe(2);
  });

  it('an empty $and / $or fails with BadValue (2)', async () => {
    const err = await rejectionOf(ctx.db.collection('sentinel').find({ $and: [] }).toArray());
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(2);
    const err2 = await rejectionOf(ctx.db.collection('sentinel').find({ $or: [] }).toArray());
    expect(err2.code).toBe(2);
  });

  it('an unknown update operator is rejected', async () => {
    const err = await rejectionOf(
      ctx.db.collection('sentinel').updateOne({ _id: 'alive' as any }, { $bogus: { a: 1 } } as any),
    );
    expect(err).toBeInstanceOf(MongoServerError);
    expect(await ctx.db.collection('sentinel').findOne({ _id: 'alive' as any })).toEqual({
      _id: 'alive',
    });
  });

  it('an unknown aggregation stage fails with 40324', async () => {
    const err = await rejectionOf(
      ctx.db
        .collection('sentinel')
        .aggregate([{ $bogusStage: {} }])
        .toArray(),
    );
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(40324);
  });

  it('an unknown aggregation expression fails with InvalidPipelineOperator (168)', async () => {
    const err = await rejectionOf(
      ctx.db
        .collection('sentinel')
        .aggregate([{ $project: { x: { $bogusExpr: '$a' } } }])
        .toArray(),
    );
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(168);
  });

  it('an array _id is rejected', async () => {
    const coll = ctx.db.collection('array_id');
    const err = await rejectionOf(coll.insertOne({ _id: [1, 2] as any }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(await coll.countDocuments()).toBe(0);
  });

  it('after all of the above the server still serves normal traffic', async () => {
    await expectServerHealthy();
    const coll = ctx.db.collection('after');
    await coll.insertMany(Array.from({ length: 20 }, (_, i) => ({ i })));
    expect(await coll.countDocuments({ i: { $gte: 10 } })).toBe(10);
  });
});
