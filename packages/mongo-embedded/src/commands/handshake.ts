import { type Document, ObjectId } from 'bson';
import { MongoCommandError } from '../errors.ts';
import { toJsNumber } from '../numbers.ts';
import { MAX_BSON_OBJECT_SIZE, MAX_MESSAGE_SIZE } from '../wire.ts';
import type { CommandContext, CommandHandler } from './context.ts';

export const REPLICA_SET_NAME = 'spot';
export const SERVER_VERSION = '7.0.0';
const ELECTION_ID = new ObjectId('7fffffff0000000000000001');
const STARTED_AT = Date.now();

/** Enough of a replica-set primary's hello for the driver to enable sessions and transactions. */
function hello(context: CommandContext, primaryField: 'isWritablePrimary' | 'ismaster'): Document {
  const me = context.engine.address;
  return {
    helloOk: true,
    [primaryField]: true,
    secondary: false,
    setName: REPLICA_SET_NAME,
    setVersion: 1,
    hosts: [me],
    primary: me,
    me,
    electionId: ELECTION_ID,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: context.connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };
}

export const handshakeCommands: Record<string, CommandHandler> = {
  hello: (context) => hello(context, 'isWritablePrimary'),
  isMaster: (context) => hello(context, 'ismaster'),
  ismaster: (context) => hello(context, 'ismaster'),
  ping: () => ({ ok: 1 }),
  buildInfo: () => ({
    version: SERVER_VERSION,
    versionArray: SERVER_VERSION.split('.').map(Number).concat(0),
    gitVersion: 'spot-mongo-embedded',
    modules: [],
    allocator: 'system',
    javascriptEngine: 'none',
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    storageEngines: ['spot-memory'],
    ok: 1,
  }),
  getParameter: (context) => {
    const known: Document = {
      featureCompatibilityVersion: { version: SERVER_VERSION.split('.').slice(0, 2).join('.') },
      transactionLifetimeLimitSeconds: context.engine.sessions.transactionLifetimeSeconds,
      maxTransactionLockRequestTimeoutMillis: 5,
    };
    const requested =
      context.body.getParameter === '*' ? Object.keys(known) : Object.keys(context.body);
    const reply: Document = {};
    for (const name of requested) if (name in known) reply[name] = known[name];
    return { ...reply, ok: 1 };
  },
  /** Of the runtime parameters, the one tests and operators turn: transactionLifetimeLimitSeconds. */
  setParameter: (context) => {
    if (context.db !== 'admin') {
      throw new MongoCommandError(
        'Unauthorized',
        'setParameter may only be run against the admin database.',
      );
    }
    const names = Object.keys(context.body).filter(
      (name) => name !== 'setParameter' && name !== 'lsid' && !name.startsWith('$'),
    );
    const unknown = names.find((name) => name !== 'transactionLifetimeLimitSeconds');
    if (unknown !== undefined || names.length === 0) {
      throw new MongoCommandError(
        'InvalidOptions',
        unknown === undefined
          ? 'no option found to set, use help:true to see options'
          : `attempted to set unrecognized parameter [${unknown}], use help:true to see options`,
      );
    }
    const seconds = toJsNumber(context.body.transactionLifetimeLimitSeconds);
    if (!Number.isInteger(seconds) || seconds < 1) {
      throw new MongoCommandError(
        'BadValue',
        'transactionLifetimeLimitSeconds must be a whole number of seconds, at least 1',
      );
    }
    const { sessions } = context.engine;
    const was = sessions.transactionLifetimeSeconds;
    sessions.transactionLifetimeSeconds = seconds;
    return { was, ok: 1 };
  },
  serverStatus: (context) => ({
    host: context.engine.address,
    version: SERVER_VERSION,
    process: 'spot-mongo',
    uptime: Math.floor((Date.now() - STARTED_AT) / 1000),
    localTime: new Date(),
    connections: { current: context.engine.connectionCount },
    ok: 1,
  }),
  whatsmyuri: () => ({ you: 'embedded', ok: 1 }),
  endSessions: (context) => {
    const ids: unknown[] = Array.isArray(context.body.endSessions) ? context.body.endSessions : [];
    context.engine.endSessions(ids);
    return { ok: 1 };
  },
};
