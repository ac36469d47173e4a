// Issue 14: the sign-in limits hold under parallel requests, and nobody can lock someone else out.
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loginAttempts } from "../../db/schema";
import { ACCOUNT_FREE_ATTEMPTS, MAX_PER_ADDRESS, MAX_PER_PAIR } from "~/domain/sign-in-limits";
import * as login from "~/routes/login";
import * as staffAdmin from "~/routes/staff.admin";
import { signIn, signInDelay } from "~/utils/auth.server";
import { useTestDatabase } from "../setup/db";
import { get, post, run, staffSession } from "../support/requests";

// Hundreds of attempts, a few dozen slow password hashes each.
describe("sign-in limits", { timeout: 120_000 }, () => {
  const database = useTestDatabase();
  afterEach(() => vi.restoreAllMocks());

  /** Replaces the wait before a password check with one that records how long it would have been. */
  function recordDelays() {
    const delays: number[] = [];
    vi.spyOn(signInDelay, "sleep").mockImplementation(async (ms) => {
      delays.push(ms);
    });
    return delays;
  }

  const checked = async () =>
    (await database.current.db.select({ n: sql<number>`count(*)::int` }).from(loginAttempts))[0].n;

  it("checks at most the limit of 200 parallel attempts from one address, and refuses the right one after it", async () => {
    recordDelays();
    const { email, password } = await staffSession("staff");
    const before = await checked();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => signIn(get("/login", undefined, "203.0.113.5"), email, i === 199 ? password : `wrong guess ${i}`)),
    );
    // Every attempt whose password was checked left a row; the rest were refused unchecked.
    const checkedNow = (await checked()) - before;
    expect(checkedNow).toBeLessThanOrEqual(MAX_PER_PAIR);
    expect(results.filter((r) => !r.ok && r.reason === "throttled").length).toBe(200 - checkedNow);
    // The right password was the last one sent: if it was checked it signed in; otherwise refused.
    const right = results[199];
    expect(right.ok || (!right.ok && right.reason === "throttled")).toBe(true);
    expect(results.filter((r) => r.ok).length).toBeLessThanOrEqual(1);

    // With the limit used up, the right password is refused from that address.
    for (let i = 0; i < MAX_PER_PAIR; i++) await signIn(get("/login", undefined, "203.0.113.6"), email, "wrong again");
    const afterLimit = await signIn(get("/login", undefined, "203.0.113.6"), email, password);
    expect(afterLimit).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("checks at most the limit when every parallel attempt is wrong, and then refuses the right password", async () => {
    recordDelays();
    const { email, password } = await staffSession("staff");
    const before = await checked();
    await Promise.all(Array.from({ length: 200 }, (_, i) => signIn(get("/login", undefined, "203.0.113.9"), email, `wrong ${i}`)));
    expect((await checked()) - before).toBe(MAX_PER_PAIR);
    expect(await signIn(get("/login", undefined, "203.0.113.9"), email, password)).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("lets the right password in from another address while the account is attacked, ever more slowly", async () => {
    const delays = recordDelays();
    const { email, password } = await staffSession("staff");
    // The attacker spreads wrong guesses over several addresses, each up to its own limit.
    const attackers = ["198.51.100.1", "198.51.100.2", "198.51.100.3"];
    for (const ip of attackers) {
      for (let i = 0; i < MAX_PER_PAIR + 2; i++) await signIn(get("/login", undefined, ip), email, `guess ${ip} ${i}`);
    }
    const attackerDelays = [...delays];
    // No refusal on the account's count, but each wait longer than the one before, once past the free attempts.
    const growing = attackerDelays.slice(ACCOUNT_FREE_ATTEMPTS);
    expect(growing.length).toBeGreaterThan(3);
    for (let i = 1; i < growing.length; i++) expect(growing[i]).toBeGreaterThanOrEqual(growing[i - 1]);
    expect(growing[growing.length - 1]).toBeGreaterThan(growing[0]);

    delays.length = 0;
    const response = await run(login.action, post("/login", { email, password, redirectTo: "/staff" }, undefined, "10.1.2.3"));
    expect(response.status).toBe(302);
    // The real user waited (the account is under attack) but was not refused.
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThan(0);
  });

  it("limits one address across accounts, but not other addresses", async () => {
    recordDelays();
    const { email, password } = await staffSession("staff");
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => signIn(get("/login", undefined, "192.0.2.50"), `user${i % 30}@example.com`, "wrong")),
    );
    expect(results.filter((r) => !r.ok && r.reason === "invalid").length).toBe(MAX_PER_ADDRESS);
    expect(await signIn(get("/login", undefined, "192.0.2.50"), email, password)).toMatchObject({ ok: false, reason: "throttled" });
    expect(await signIn(get("/login", undefined, "192.0.2.51"), email, password)).toMatchObject({ ok: true });
  });

  it("gives a successful sign-in's count back, so an office signing in all day is not limited", async () => {
    recordDelays();
    const people = await Promise.all(Array.from({ length: 2 }, (_, i) => staffSession("staff", `office${i}@example.com`)));
    // More successes from one address than its limit (each password check is a slow hash: no more).
    for (let round = 0; round <= MAX_PER_ADDRESS / 2; round++) {
      for (const person of people) {
        expect(await signIn(get("/login", undefined, "10.20.30.40"), person.email, person.password)).toMatchObject({ ok: true });
      }
    }
  });

  it("refuses a weak initial password on the staff admin page with the reason", async () => {
    const admin = await staffSession("admin");
    const response = await run(
      staffAdmin.action,
      post("/staff/admin", { intent: "add", name: "Ken", email: "ken@example.com", role: "viewer", password: "aaaaaaaaaaaaaa" }, admin.cookie),
    );
    expect(response.status).toBe(400);
    const { fieldErrors } = (await response.json()) as { fieldErrors: { password: string } };
    expect(fieldErrors.password.split("\n")[0]).toBe("password.warnings.simpleRepeat");
  });
});
