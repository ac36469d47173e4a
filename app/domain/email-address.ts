// What the portal accepts as an e-mail address, in one place: zod's email rule (the regular
// expression behind `z.string().email()`, which the forms use; tests/unit/import-parsing.test.ts holds
// the two to the same answers), at most 254 characters (RFC 5321). The import checks every customer
// row with it, so an address the mail provider would refuse is a row error at import, not a failed
// message later.
export const MAX_EMAIL_LENGTH = 254;

const EMAIL = /^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

export function isEmailAddress(value: string): boolean {
  return value.length <= MAX_EMAIL_LENGTH && EMAIL.test(value);
}
