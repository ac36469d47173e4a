import { describe, expect, it } from "vitest";
import { roleAllows, roles } from "~/domain/roles";
import { loginSchema, setupSchema } from "~/schemas/auth";
import { safeRedirect } from "~/utils/auth.server";
import { hashPassword, verifyPassword } from "~/utils/crypto.server";
import { EnvError, parseEnv } from "~/utils/env.server";

describe("roles", () => {
  it("orders viewer < staff < admin", () => {
    const allowed = roles.flatMap((actual) => roles.filter((required) => roleAllows(actual, required)).map((r) => `${actual}>=${r}`));
    expect(allowed.sort()).toEqual(["admin>=admin", "admin>=staff", "admin>=viewer", "staff>=staff", "staff>=viewer", "viewer>=viewer"]);
  });
});

// Tokens: tests/db/tokens-at-rest.test.ts checks the real links and sessions (size, only a hash stored).
describe("passwords", () => {
  it("hashes with a per-password salt and verifies only the right password", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$/);
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
    expect(await verifyPassword("anything", "not-a-hash")).toBe(false);
  });
});

describe("safeRedirect", () => {
  it.each([
    ["/staff/customers?page=2", "/staff/customers?page=2"],
    ["https://evil.example/", "/staff"],
    ["//evil.example/", "/staff"],
    ["/\\evil.example", "/staff"],
    ["javascript:alert(1)", "/staff"],
    [null, "/staff"],
  ])("%s → %s", (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });
});

describe("environment", () => {
  it("refuses production without SESSION_SECRET, naming it", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATA_DIR: "/tmp/x" })).toThrow(EnvError);
    expect(() => parseEnv({ NODE_ENV: "production", DATA_DIR: "/tmp/x" })).toThrow(/^SESSION_SECRET: required in production/);
  });

  it("names every bad variable", () => {
    const bad = () => parseEnv({ DATABASE_URL: "mysql://x", PORT: "eighty", SESSION_SECRET: "short" });
    expect(bad).toThrow("DATABASE_URL: must be a postgres:// or postgresql:// URL");
    expect(bad).toThrow("PORT: must be a port number (0–65535)");
    expect(bad).toThrow("SESSION_SECRET: must be at least 32 characters");
  });

  it("accepts a production secret and the defaults", () => {
    const env = parseEnv({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(40) });
    expect(env).toMatchObject({ PORT: 3000, DATA_DIR: "./data", SESSION_SECRET: "x".repeat(40) });
    expect(env.DATABASE_URL).toBeUndefined();
  });
});

describe("form schemas (shared by the browser and the server)", () => {
  it("trims emails and names errors by field", async () => {
    expect(loginSchema.parse({ email: " a@example.com ", password: "x" }).email).toBe("a@example.com");
    // Async: a new password's strength check loads its estimator.
    const result = await setupSchema.safeParseAsync({ name: "", email: "nope", password: "short" });
    expect(result.success).toBe(false);
    const errors = Object.fromEntries(result.error!.issues.map((i) => [i.path[0], i.message]));
    expect(errors).toEqual({ name: "errors.required", email: "errors.email", password: "errors.passwordLength" });
  });
});
