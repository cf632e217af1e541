import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedMongo } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '27017' },
    host: { type: 'string', default: '127.0.0.1' },
    dbpath: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('usage: spot-mongo [--port 27017] [--host 127.0.0.1] [--dbpath .data/mongo]');
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`spot-mongo: --port must be an integer between 0 and 65535, got "${values.port}"`);
  process.exit(2);
}

try {
  const dbPath = values.dbpath ? path.resolve(values.dbpath) : undefined;
  const mongo = await startEmbeddedMongo({ port, host: values.host, dbPath });
  // One line: parents read up to "connect with <uri>" and may close the pipe afterwards.
  process.stdout.on('error', () => {});
  const where = dbPath ? `data in ${dbPath}` : 'data in memory only';
  console.log(`spot-mongo: listening, connect with ${mongo.uri} (${where})`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    // stop() waits for queued log records and releases the lock.
    await mongo.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'EADDRINUSE'
      ? `port ${port} is already in use`
      : error instanceof Error
        ? error.message.replace(/^spot-mongo: /, '')
        : String(error);
  console.error(`spot-mongo: cannot start: ${reason}`);
  process.exit(1);
}
