export { ApiAgent } from './api-agent.ts';
export { startTestDatabase, type TestDatabase } from './database.ts';
export {
  type EngineProcess,
  endWithThisProcess,
  type FinishedProcess,
  freePort,
  hasRedisServer,
  RedisProcess,
  runToExit,
  startEngineProcess,
} from './processes.ts';
export { type ServedHandler, serveFetchHandler, serveNodeHandler } from './serve.ts';
export {
  type LocalStripe,
  parseStripeForm,
  type StripePaymentIntent,
  type StripeRefund,
  type StripeSubscription,
  startLocalStripe,
} from './stripe-server.ts';
