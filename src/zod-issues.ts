import type { z } from 'zod';

/**
 * Zod's issues as one line each, `field: message` (the message alone when the issue is about the
 * whole input). Each reader names fields its own way: a query's `on_duplicate`, a form's
 * `on duplicate`, a flag's `--on-duplicate`.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], fieldName: (path: PropertyKey[]) => string = (path) => path.join('.')): string[] {
  return issues.map((issue) => {
    const field = fieldName(issue.path);
    return field ? `${field}: ${issue.message}` : issue.message;
  });
}
