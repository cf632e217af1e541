import { expect, it } from 'vitest';
import { handleHealthRequest } from '../src/http.ts';
import { useApi } from './harness.ts';

useApi('spot_health');

it('the health check answers 200 while the database answers, and says whether Redis does', async () => {
  const response = await handleHealthRequest();
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({
    status: 'ok',
    database: 'up',
    redis: process.env.REDIS_URL ? 'up' : 'off',
  });
});
