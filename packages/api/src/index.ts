export { createAccount } from './auth/service.ts';
export { type AppRouter, appRouter } from './root.ts';
export { type Access, createCallerFactory, type Meta, type SessionUser } from './trpc.ts';
