import { AnalyticsEvent, type AnalyticsType } from '@spot/db';
import { expect } from 'vitest';

/**
 * Views and clicks are recorded after the response, so tests wait until the expected number
 * is there, then a little longer to see that no extra one follows.
 */
export async function settledCount(
  eventId: string,
  type: AnalyticsType,
  expected: number,
): Promise<number> {
  const count = () => AnalyticsEvent.countDocuments({ eventId, type });
  const deadline = Date.now() + 5000;
  while ((await count()) < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  return count();
}

export async function expectRecorded(
  eventId: string,
  type: AnalyticsType,
  expected: number,
): Promise<void> {
  expect(await settledCount(eventId, type, expected), `${type}s of ${eventId}`).toBe(expected);
}
