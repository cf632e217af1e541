import type { ApiError } from './api-client.tsx';

/** The server's zod messages for one input field (from the API's error formatter), if any. */
export function fieldErrors(error: ApiError | null, field: string): string[] {
  const errors: Partial<Record<string, string[]>> = error?.data?.zodError?.fieldErrors ?? {};
  return errors[field] ?? [];
}

/**
 * What to show above a form: the server's message, unless the problem is already shown next to
 * the fields (a BAD_REQUEST from input validation carries its messages per field).
 */
export function formError(error: ApiError | null): string | null {
  if (!error) return null;
  if (!error.data) return 'No connection to the server. Check the network and try again.';
  const zodError = error.data.zodError;
  if (zodError) return zodError.formErrors.length > 0 ? zodError.formErrors.join(' ') : null;
  return error.message;
}
