export { startTestDatabase, type TestDatabase } from './database.ts';
