import { configOrExit } from '@spot/config';
import { connectDatabase, defaultMongoUri } from '@spot/db';

/** Scripts connect like the app does, waiting for `pnpm dev`'s database to come up. */
export function connectForScript() {
  const config = configOrExit();
  return connectDatabase(config.MONGODB_URI ?? defaultMongoUri(config.MONGO_PORT), {
    attempts: 20,
    onRetry: (attempt) => {
      if (attempt === 1) console.log('Waiting for MongoDB…');
    },
  });
}
