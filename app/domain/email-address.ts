// What the portal accepts as an e-mail address, in one place: zod's email rule (the regular
// expression behind `z.string().email()`, which the forms use), at most 254 characters (RFC 5321).
// The import checks every customer row with it, so an address the mail provider would refuse is a
// row error at import, not a failed message later.
import { regexes } from "zod/v4/core";

export const MAX_EMAIL_LENGTH = 254;

export function isEmailAddress(value: string): boolean {
  return value.length <= MAX_EMAIL_LENGTH && regexes.email.test(value);
}
