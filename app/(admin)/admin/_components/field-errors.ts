import "server-only";
import type { z } from "zod";

/**
 * A form's validation errors per field in the operator's language: `word` names an issue (by its
 * code and params, never its English message); an issue it does not know keeps the schema's words.
 */
export function fieldErrorsIn<Field extends string>(
  error: z.ZodError,
  word: (field: Field, issue: z.core.$ZodIssue) => string | undefined,
): Partial<Record<Field, string[]>> {
  const errors: Partial<Record<Field, string[]>> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "") as Field;
    (errors[field] ??= []).push(word(field, issue) ?? issue.message);
  }
  return errors;
}
