import { createCookie } from "@remix-run/node";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { staffSessions, staffUsers } from "../../db/schema";
import * as login from "~/routes/login";
import * as logout from "~/routes/logout";
import * as setup from "~/routes/setup";
import * as staffAdmin from "~/routes/staff.admin";
import { countStaff } from "~/models/staff.server";
import { signInDelay } from "~/utils/auth.server";
import { useTestDatabase } from "../setup/db";
import { cookieHeader, get, post, run, staffSession } from "../support/requests";

const founder = { name: "Hana Sato", email: "hana@example.com", password: "a long founder password" };

describe("first run: /setup", () => {
  const database = useTestDatabase();

  it("creates the founding admin once, signs them in, and is gone for good", async () => {
    expect((await run(setup.loader, get("/setup"))).status).toBe(200);
    const created = await run(setup.action, post("/setup", founder));
    expect(created.status).toBe(302);
    expect(created.headers.get("Location")).toBe("/staff");
    expect(created.headers.get("Set-Cookie")).toMatch(/^portal_session=/);

    expect((await run(setup.loader, get("/setup"))).status).toBe(404);
    const again = await run(setup.action, post("/setup", { ...founder, email: "mallory@example.com" }));
    expect(again.status).toBe(404);
    const rows = await database.current.db.select().from(staffUsers);
    expect(rows.map((r) => [r.email, r.role])).toEqual([["hana@example.com", "admin"]]);
  });

  it("lets exactly one of several simultaneous setups win", async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        run(setup.action, post("/setup", { ...founder, email: `founder${i}@example.com` })),
      ),
    );
    expect(results.filter((r) => r.status === 302)).toHaveLength(1);
    expect(results.filter((r) => r.status === 404)).toHaveLength(4);
    expect(await countStaff()).toBe(1);
  });

  it("rejects a common password with the estimator's reason and writes nothing", async () => {
    const response = await run(setup.action, post("/setup", { ...founder, password: "password1234" }));
    expect(response.status).toBe(400);
    const { fieldErrors } = (await response.json()) as { fieldErrors: { password: string } };
    expect(fieldErrors.password.split("\n")).toEqual(["password.warnings.similarToCommon", "password.suggestions.anotherWord"]);
    expect(await countStaff()).toBe(0);
  });

  it("rejects a short password with a field error and writes nothing", async () => {
    const response = await run(setup.action, post("/setup", { ...founder, password: "short" }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ fieldErrors: { password: "errors.passwordLength" } });
    expect(await countStaff()).toBe(0);
  });
});

// Up to 21 slow password hashes a test; an account's growing delay is recorded, not slept (see
// sign-in-limits.test.ts).
describe("sign-in", { timeout: 120_000 }, () => {
  const database = useTestDatabase();
  beforeEach(() => {
    vi.spyOn(signInDelay, "sleep").mockResolvedValue();
  });
  afterEach(() => vi.restoreAllMocks());

  async function attempt(email: string, password: string, ip = "10.0.0.1") {
    const response = await run(login.action, post("/login", { email, password, redirectTo: "/staff/settings" }, undefined, ip));
    return { status: response.status, body: response.status === 302 ? null : await response.json(), response };
  }

  it("signs in with the right password and redirects back, with a safe httpOnly SameSite cookie", async () => {
    const { email, password } = await staffSession("staff");
    const { response } = await attempt(email, password);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/staff/settings");
    const cookie = response.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it("answers a wrong password, an unknown email and a disabled account with the same message", async () => {
    const { email, user } = await staffSession("staff");
    await database.current.db.update(staffUsers).set({ active: false }).where(sql`id = ${user.id}`);
    const results = [
      await attempt("staff@example.com", "wrong password"),
      await attempt("nobody@example.com", "whatever password"),
      await attempt(email, "correct horse battery"),
    ];
    for (const r of results) {
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ fieldErrors: {}, formError: "login.invalid" });
      expect(r.response.headers.get("Set-Cookie")).toBeNull();
    }
  });

  it("refuses a sixth attempt from one address on one account, even the right password, until the window ends", async () => {
    const { email, password } = await staffSession("staff");
    for (let i = 0; i < 5; i++) expect((await attempt(email, "wrong", "10.0.0.7")).status).toBe(401);
    const limited = await attempt(email, password, "10.0.0.7");
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ formError: "login.throttled" });
    // Once the window is over, the right password works again.
    await database.current.db.execute(sql`update login_throttle set window_start = window_start - interval '16 minutes'`);
    expect((await attempt(email, password, "10.0.0.7")).status).toBe(302);
  });

  it("does not let failures from other addresses lock the account: the right password signs in", async () => {
    const { email, password } = await staffSession("staff");
    for (let i = 0; i < 7; i++) await attempt(email, "wrong", "10.0.0.66");
    expect((await attempt(email, password, "10.9.9.9")).status).toBe(302);
  });

  it("limits one address guessing across many emails, and says the same for unknown emails", async () => {
    await staffSession("staff");
    for (let i = 0; i < 20; i++) expect((await attempt(`guess${i}@example.com`, "wrong", "192.0.2.7")).status).toBe(401);
    expect((await attempt("staff@example.com", "correct horse battery", "192.0.2.7")).status).toBe(429);
    expect((await attempt("staff@example.com", "correct horse battery", "192.0.2.8")).status).toBe(302);
  });
});

describe("sessions", () => {
  const database = useTestDatabase();

  it("sends a forged cookie to /login", async () => {
    await staffSession("admin");
    const forger = createCookie("portal_session", { secrets: ["not-the-server-secret-not-the-server-secret"] });
    const forged = cookieHeader(await forger.serialize("any-token-at-all"));
    const response = await run(staffAdmin.loader, get("/staff/admin", forged));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fstaff%2Fadmin");
  });

  it("sends an expired session to /login", async () => {
    const { cookie } = await staffSession("admin");
    expect((await run(staffAdmin.loader, get("/staff/admin", cookie))).status).toBe(200);
    await database.current.db.update(staffSessions).set({ expiresAt: new Date(Date.now() - 1000) });
    expect((await run(staffAdmin.loader, get("/staff/admin", cookie))).status).toBe(302);
  });

  it("ends the session on sign-out: the old cookie no longer works", async () => {
    const { cookie } = await staffSession("admin");
    const out = await run(logout.action, post("/logout", {}, cookie));
    expect(out.status).toBe(302);
    expect(out.headers.get("Set-Cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
    expect((await run(staffAdmin.loader, get("/staff/admin", cookie))).status).toBe(302);
    expect(await database.current.db.select().from(staffSessions)).toHaveLength(0);
  });

  it("signs out a deactivated account at once", async () => {
    const admin = await staffSession("admin");
    const staff = await staffSession("staff");
    const off = await run(staffAdmin.action, post("/staff/admin", { intent: "active", userId: String(staff.user.id), active: "false" }, admin.cookie));
    expect(off.status).toBe(200);
    expect((await run(staffAdmin.loader, get("/staff", staff.cookie))).status).toBe(302);
  });
});
