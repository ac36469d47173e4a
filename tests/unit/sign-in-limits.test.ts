import { translations as translationKeys } from "@zxcvbn-ts/language-en";
import { describe, expect, it } from "vitest";
import {
  ACCOUNT_FREE_ATTEMPTS,
  ACCOUNT_MAX_DELAY_MS,
  accountDelayMs,
  attemptAllowed,
  MAX_PER_ADDRESS,
  MAX_PER_PAIR,
} from "~/domain/sign-in-limits";
import { resources } from "~/i18n";
import { setupSchema } from "~/schemas/auth";
import { passwordProblem } from "~/schemas/password";

describe("sign-in limits", () => {
  it("checks up to the limits per (address, account) and per address, and no more", () => {
    expect(attemptAllowed({ address: 1, pair: 1 })).toBe(true);
    expect(attemptAllowed({ address: MAX_PER_ADDRESS, pair: MAX_PER_PAIR })).toBe(true);
    expect(attemptAllowed({ address: MAX_PER_ADDRESS, pair: MAX_PER_PAIR + 1 })).toBe(false);
    expect(attemptAllowed({ address: MAX_PER_ADDRESS + 1, pair: 1 })).toBe(false);
  });

  it("slows an account under attack down more with every failure, never refusing, up to a cap", () => {
    for (let n = 0; n < ACCOUNT_FREE_ATTEMPTS; n++) expect(accountDelayMs(n)).toBe(0);
    const delays = Array.from({ length: 7 }, (_, i) => accountDelayMs(ACCOUNT_FREE_ATTEMPTS + i));
    expect(delays[0]).toBeGreaterThan(0);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1]);
    expect(accountDelayMs(1000)).toBe(ACCOUNT_MAX_DELAY_MS);
    expect(accountDelayMs(1e9)).toBe(ACCOUNT_MAX_DELAY_MS);
  });
});

// The first check loads the estimator and its dictionaries: seconds on a busy machine.
describe("new passwords", { timeout: 60_000 }, () => {
  it.each([
    ["password1234", "password.warnings.similarToCommon"],
    ["aaaaaaaaaaaa", "password.warnings.simpleRepeat"],
    ["demo-password", "password.warnings.similarToCommon"],
    ["qwertyuiop12", "password.warnings.similarToCommon"],
  ])("refuses %s with the estimator's reason and suggestions", async (password, warning) => {
    const problem = await passwordProblem(password);
    expect(problem?.split("\n")[0]).toBe(warning);
    expect(problem?.split("\n").slice(1).length).toBeGreaterThan(0);
  });

  it("refuses fewer than 12 characters however random, and takes long uncommon phrases", async () => {
    expect(await passwordProblem("x7#Qp!2vL9z")).toBe("errors.passwordLength");
    for (const good of ["a long admin password", "correct horse battery", "demo-loyalty-portal"]) {
      expect(await passwordProblem(good), good).toBeNull();
    }
  });

  it("gives the reason through the form schema, which browser and action share", async () => {
    const result = await setupSchema.safeParseAsync({ name: "Hana", email: "hana@example.com", password: "password1234" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message.split("\n")[0]])).toEqual([
      ["password", "password.warnings.similarToCommon"],
    ]);
  });

  it("has every warning and suggestion the estimator can give translated in English and Japanese", () => {
    for (const lng of ["en", "ja"] as const) {
      const password = resources[lng].common.password as { warnings: Record<string, string>; suggestions: Record<string, string> };
      expect(Object.keys(password.warnings).sort(), lng).toEqual(Object.keys(translationKeys.warnings).sort());
      expect(Object.keys(password.suggestions).sort(), lng).toEqual(Object.keys(translationKeys.suggestions).sort());
    }
  });
});
