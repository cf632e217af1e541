import { z } from 'zod';

export const renewalInput = z.object({
  renew: z.boolean({ error: 'renew must be true or false' }),
});
