// Field schemas shared by several endpoints.
import { z } from 'zod';

// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's job
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- as above, with newlines and tabs too
const CONTROL_OR_LINE = /[\u0000-\u001f\u007f]/;

/** Trimmed text of min..max characters without control characters (newlines and tabs only where multiline). */
export function text(min: number, max: number, multiline = false) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !(multiline ? CONTROL : CONTROL_OR_LINE).test(s), 'must not contain control characters');
}

export const Id = z.coerce.number().int().positive().max(4_294_967_295);
export const IdParams = z.strictObject({ id: Id });

export const Limit = z.coerce.number().int().min(1).max(100).default(20);
