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
  const mongo = await startEmbeddedMongo({ port, host: values.host, dbPath: values.dbpath });
  console.log(`spot-mongo: listening, connect with ${mongo.uri}`);
  if (values.dbpath) {
    console.log(
      'spot-mongo: data is kept in memory only in this version; --dbpath is not used yet',
    );
  }
  const shutdown = async () => {
    await mongo.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'EADDRINUSE' ? `port ${port} is already in use` : String(error);
  console.error(`spot-mongo: cannot start: ${reason}`);
  process.exit(1);
}
