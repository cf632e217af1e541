export { startTestDatabase, type TestDatabase } from './database.ts';
export { type ServedHandler, serveFetchHandler } from './serve.ts';
