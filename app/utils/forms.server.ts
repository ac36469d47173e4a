// The action side of every form: parse the body with the page's zod schema, or return field errors.
import type { z } from "zod";

export type FieldErrors = Record<string, string>;

export type ParseResult<T> = { ok: true; data: T } | { ok: false; fieldErrors: FieldErrors };

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * The body of a form post, or a thrown 4xx Response with a message: 415 for anything but a form
 * (JSON, text/plain, no Content-Type), 400 for a body that does not parse (a broken multipart body) or a
 * value holding U+0000, which PostgreSQL cannot store in text. Every action reads its form through this.
 */
export async function readForm(request: Request): Promise<FormData> {
  if (!FORM_TYPES.test(request.headers.get("Content-Type") ?? "")) {
    throw new Response("Send the form as application/x-www-form-urlencoded or multipart/form-data.", { status: 415 });
  }
  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    throw new Response("The form's body could not be read.", { status: 400 });
  }
  for (const [, value] of formData) {
    if (typeof value === "string" && value.includes("\0")) throw new Response("The form contains a NUL character.", { status: 400 });
  }
  return formData;
}

export async function parseForm<S extends z.ZodTypeAny>(
  source: Request | FormData,
  schema: S,
): Promise<ParseResult<z.infer<S>>> {
  const formData = source instanceof FormData ? source : await readForm(source);
  const values: Record<string, FormDataEntryValue> = {};
  for (const [key, value] of formData) values[key] = value;
  // Async, for schemas with async checks (a new password's strength); the same for the others.
  const result = await schema.safeParseAsync(values);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join(".") || "form";
    fieldErrors[key] ??= issue.message;
  }
  return { ok: false, fieldErrors };
}
