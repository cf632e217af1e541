export { createAccount } from './auth/service.ts';
export { PRO_FEATURES, requirePro, UPGRADE_HINT } from './billing/gating.ts';
export { type AppRouter, appRouter } from './root.ts';
export { type Access, createCallerFactory, type Meta, type SessionUser } from './trpc.ts';
