// Staff roles (DESIGN §1): admin > staff > viewer. A role may do what every lower role may.
export const roles = ["viewer", "staff", "admin"] as const;
export type Role = (typeof roles)[number];

export function roleAllows(actual: Role, required: Role): boolean {
  return roles.indexOf(actual) >= roles.indexOf(required);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (roles as readonly string[]).includes(value);
}
