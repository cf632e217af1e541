import { TRPCError } from '@trpc/server';
import { ZodRealError } from 'zod';

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * A BAD_REQUEST shaped like a failed input schema (the error formatter turns it into
 * `zodError.fieldErrors`), for rules the schema cannot check alone: stored values, cursors.
 */
export function fieldErrors(problems: FieldProblem[]): TRPCError {
  return new TRPCError({
    code: 'BAD_REQUEST',
    message: problems.map((problem) => problem.message).join('; '),
    // The Error subclass of ZodError: tRPC keeps only Error causes as they are.
    cause: new ZodRealError(
      problems.map(({ field, message }) => ({
        code: 'custom' as const,
        path: [field],
        message,
        input: undefined,
      })),
    ),
  });
}
