import { z } from 'zod';

/** Errors cross IPC and HTTP as values: Electron forwards only `message` of a thrown error. */
export const errorInfoSchema = z.object({
  code: z.string(),
  message: z.string(),
  detail: z.unknown().optional(),
});
export type ErrorInfo = z.infer<typeof errorInfoSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** Builds the zod schema of `Result<T>` for a value schema, so responses are validated both ways. */
export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: errorInfoSchema }),
  ]);
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err(code: string, message: string, detail?: unknown): Result<never> {
  return { ok: false, error: detail === undefined ? { code, message } : { code, message, detail } };
}

/** A failure that carries a stable code; core turns it into an error Result at the boundary. */
export class GuardiaError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'GuardiaError';
  }
}
