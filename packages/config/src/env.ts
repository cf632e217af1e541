import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65_535);
const url = z.url();

function isEd25519PrivateKey(value: string): boolean {
  try {
    const key = value.trim().startsWith('{')
      ? createPrivateKey({ key: JSON.parse(value), format: 'jwk' })
      : createPrivateKey(value.replaceAll('\\n', '\n'));
    return key.asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}

/**
 * Which process reads the environment. Each holds only the secrets it uses: the web app (the API)
 * signs tickets and takes payments; the realtime server only checks sessions.
 */
export type Service = 'web' | 'realtime';

const baseSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// connection string')
    .optional(),
  MONGO_PORT: port.default(27_017),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  // Required of the web app (see envSchemaFor).
  QR_SIGNING_KEY: z
    .string()
    .refine(isEd25519PrivateKey, 'must be an Ed25519 private key (PKCS8 PEM or JWK JSON)')
    .optional(),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^sk_(test|live)_/, 'must start with sk_test_ or sk_live_')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_/, 'must start with whsec_')
    .optional(),
  // Where the Stripe SDK sends API calls; only tests and local Stripe stand-ins change these.
  STRIPE_API_HOST: z.string().min(1).optional(),
  STRIPE_API_PORT: port.optional(),
  STRIPE_API_PROTOCOL: z.enum(['http', 'https']).optional(),
  // Price of the Pro plan; absent = an inline monthly price of PRO_PLAN_PRICE (minor units, EUR).
  STRIPE_PRO_PRICE_ID: z
    .string()
    .regex(/^price_/, 'must start with price_')
    .optional(),
  PRO_PLAN_PRICE: z.coerce.number().int().min(0).default(1900),
  // How long places stay held for a buyer who has not paid yet.
  TICKET_HOLD_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  // Proxies in front of the web app that append the connecting address to X-Forwarded-For
  // (1: one load balancer). The client's address is the entry that many places from the end:
  // entries before it are whatever the client sent, so they are never trusted.
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
  // How long before an event starts its door check-in opens.
  CHECKIN_OPENS_BEFORE_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(180),
  NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: z
    .string()
    .regex(/^pk_(test|live)_/, 'must start with pk_test_ or pk_live_')
    .optional(),
  // Which event-suggestion provider packages/api uses ("local": keyword heuristics, no network).
  SUGGEST_PROVIDER: z.string().min(1).default('local'),
  WEB_URL: url.default('http://localhost:3000'),
  // Public URL of apps/scanner: the realtime server accepts sockets from its pages.
  SCANNER_URL: url.default('http://localhost:3002'),
  NEXT_PUBLIC_REALTIME_URL: url.default('http://localhost:3001'),
  WEB_PORT: port.default(3000),
  REALTIME_PORT: port.default(3001),
  SCANNER_PORT: port.default(3002),
});

/** The schema of `service`'s environment. */
export function envSchemaFor(service: Service) {
  return (
    baseSchema
      // Checked even when other variables are invalid, so one message lists every problem.
      .superRefine(
        (env, context) => {
          const stripeKeys = ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const;
          const present = stripeKeys.filter((key) => env[key] !== undefined);
          if (present.length === 1) {
            const missing = stripeKeys.find((key) => env[key] === undefined) as string;
            context.addIssue({
              code: 'custom',
              path: [missing],
              message: `is required when ${present[0]} is set`,
            });
          }
          if (service !== 'web') return;
          if (env.QR_SIGNING_KEY === undefined) {
            context.addIssue({ code: 'custom', path: ['QR_SIGNING_KEY'], message: 'is required' });
          }
          // Simulated payments exist for development only.
          if (env.NODE_ENV === 'production' && present.length === 0) {
            for (const key of stripeKeys) {
              context.addIssue({
                code: 'custom',
                path: [key],
                message: 'is required in production (simulated payments are dev-only)',
              });
            }
          }
        },
        { when: () => true },
      )
  );
}

export type Env = z.infer<typeof baseSchema>;
