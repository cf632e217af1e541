import { z } from 'zod';

/** A Mongo ObjectId in its 24-hex-digit form, named in the error as the client calls it. */
export const objectIdSchema = (label: string) =>
  z.string({ error: `${label} is required` }).regex(/^[0-9a-fA-F]{24}$/, `${label} must be an id`);
