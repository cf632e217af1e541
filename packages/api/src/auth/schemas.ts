import { z } from 'zod';
import { categorySchema, latitudeSchema, longitudeSchema } from '../events/schemas.ts';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter a valid email address').max(254, 'Email is too long'));

export const newPasswordSchema = z
  .string()
  .min(10, 'Password must be at least 10 characters')
  .max(200, 'Password must be at most 200 characters');

export const registerInput = z.object({
  email: emailSchema,
  password: newPasswordSchema,
  name: z
    .string()
    .trim()
    .min(1, 'Name is required')
    .max(100, 'Name must be at most 100 characters'),
});

export const loginInput = z.object({
  email: emailSchema,
  password: z.string().min(1, 'Password is required').max(200),
});

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, 'Current password is required').max(200),
  newPassword: newPasswordSchema,
});

/** What the "for you" list is made of: the categories a user likes, and where they are. */
export const preferencesInput = z.object({
  interests: z
    .array(categorySchema, { error: 'Interests must be a list of categories' })
    .max(10, 'At most 10 interests')
    .transform((interests) => [...new Set(interests)]),
  location: z
    .object(
      { lat: latitudeSchema, lng: longitudeSchema },
      { error: 'Location must have a latitude and a longitude' },
    )
    .nullable(),
});

export type RegisterInput = z.infer<typeof registerInput>;
export type LoginInput = z.infer<typeof loginInput>;
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;
export type PreferencesInput = z.infer<typeof preferencesInput>;
