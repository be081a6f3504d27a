import type { Context } from 'hono';
import { describeIssues } from '../zod-issues.js';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { AppError, ValidationError } from '../errors.js';
import { IdParamSchema } from '../http/common.schemas.js';

/** The console's forms are a few short fields; anything bigger is refused unread. */
export const smallForm = bodyLimit({
  maxSize: 16 * 1024,
  onError: () => {
    throw new AppError('PAYLOAD_TOO_LARGE', 'This form is too large');
  },
});

/** A urlencoded or multipart form's text fields (files are not expected here and are dropped). */
export async function formFields(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) if (typeof value === 'string') fields[name] = value;
  return fields;
}

/**
 * Validates a form with the same zod schema the API uses, so the two cannot accept different
 * things; a failure is a ValidationError whose message a person can read.
 */
export function parseForm<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error.issues, (path) => path.join('.').replace(/_/g, ' '));
  throw new ValidationError(`Please check the form — ${problems.join('; ')}`, { issues: parsed.error.issues });
}

/** The `:id` of a console URL, validated as the API validates its ids. */
export function idParam(c: Context): number {
  return parseForm(IdParamSchema, { id: c.req.param('id') }).id;
}
