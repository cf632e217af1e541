/**
 * Creates an admin account: the only way to get one (the public register grants the user role).
 *   pnpm --filter @spot/api create-admin --email ops@example.com --name "Ops"
 * The password comes from SPOT_ADMIN_PASSWORD, so it never lands in shell history.
 */
import { parseArgs } from 'node:util';
import { disconnectDatabase } from '@spot/db';
import { registerInput } from '../auth/schemas.ts';
import { createAccount } from '../auth/service.ts';
import { connectForScript } from './database.ts';

const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
const parsed = registerInput.safeParse({
  email: values.email,
  name: values.name,
  password: process.env.SPOT_ADMIN_PASSWORD,
});
if (!parsed.success) {
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.join('.');
    return field === 'password'
      ? `SPOT_ADMIN_PASSWORD: ${issue.message}`
      : `--${field}: ${issue.message}`;
  });
  console.error(`create-admin: ${problems.join('; ')}`);
  process.exit(2);
}

await connectForScript();
try {
  const admin = await createAccount({ ...parsed.data, role: 'admin' });
  console.log(`Admin ${admin.email} created.`);
} catch (error) {
  console.error(`create-admin: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await disconnectDatabase();
}
