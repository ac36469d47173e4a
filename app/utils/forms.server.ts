// The action side of every form: parse the body with the page's zod schema, or return field errors.
import type { z } from "zod";

export type FieldErrors = Record<string, string>;

export type ParseResult<T> = { ok: true; data: T } | { ok: false; fieldErrors: FieldErrors };

export async function parseForm<S extends z.ZodTypeAny>(
  source: Request | FormData,
  schema: S,
): Promise<ParseResult<z.infer<S>>> {
  const formData = source instanceof FormData ? source : await source.formData();
  const values: Record<string, FormDataEntryValue> = {};
  for (const [key, value] of formData) values[key] = value;
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join(".") || "form";
    fieldErrors[key] ??= issue.message;
  }
  return { ok: false, fieldErrors };
}
