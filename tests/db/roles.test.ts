// Every staff loader and action goes through requireRole: signed out → /login, wrong role → 403.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { brandSettings, staffUsers } from "../../db/schema";
import { useTestDatabase } from "../setup/db";
import { get, post, run, staffSession } from "../support/requests";

type RouteModule = { loader?: unknown; action?: unknown };
const staffRoutes = import.meta.glob<RouteModule>("../../app/routes/staff*.tsx", { eager: true });
const pathOf = (file: string) =>
  "/" + file.replace(/^.*routes\//, "").replace(/\.tsx$/, "").replace(/\._index$/, "").replaceAll(".", "/");

describe("every staff route checks the role", () => {
  useTestDatabase();

  it("finds the staff routes", () => {
    expect(Object.keys(staffRoutes).length).toBeGreaterThanOrEqual(10);
    for (const [file, mod] of Object.entries(staffRoutes)) expect(mod.loader, `${file} has a loader`).toBeTypeOf("function");
  });

  it("redirects every loader and action to /login when signed out", async () => {
    for (const [file, mod] of Object.entries(staffRoutes)) {
      const path = pathOf(file);
      const page = await run(mod.loader, get(path));
      expect(page.status, `${file} loader`).toBe(302);
      expect(page.headers.get("Location"), file).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
      if (mod.action) {
        const write = await run(mod.action, post(path, { intent: "add" }));
        expect(write.status, `${file} action`).toBe(302);
      }
    }
  });

  it("lets a viewer read every staff page except staff accounts and pages that only create", async () => {
    const { cookie } = await staffSession("viewer");
    // Pages that exist only to write: staff accounts (admin), importing a survey file, inviting to the
    // ambassador programme, and creating, editing, inviting to and checking in at an event (staff).
    const writeOnly = [
      "staff.admin.tsx",
      "staff.surveys.import.tsx",
      "staff.ambassadors.invite.tsx",
      "staff.events.new.tsx",
      "staff.events.$id.edit.tsx",
      "staff.events.$id.invite.tsx",
      "staff.events.$id.check-in.tsx",
    ];
    for (const [file, mod] of Object.entries(staffRoutes)) {
      const response = await run(mod.loader, get(pathOf(file), cookie));
      // Pages of one record (a $param in the name) answer 404 here: the test database has no such record.
      const expected = writeOnly.some((page) => file.endsWith(`/${page}`)) ? 403 : file.includes("$") ? 404 : 200;
      expect(response.status, file).toBe(expected);
    }
  });
});

describe("a viewer posting to admin actions", () => {
  const database = useTestDatabase();

  it("gets 403 and changes nothing", async () => {
    const admin = await staffSession("admin");
    const viewer = await staffSession("viewer");
    const attempts = [
      post("/staff/admin", { intent: "role", userId: String(viewer.user.id), role: "admin" }, viewer.cookie),
      post("/staff/admin", { intent: "active", userId: String(admin.user.id), active: "false" }, viewer.cookie),
      post("/staff/admin", { intent: "add", name: "Eve", email: "eve@example.com", role: "admin", password: "a long enough password" }, viewer.cookie),
    ];
    const { action } = staffRoutes["../../app/routes/staff.admin.tsx"];
    for (const request of attempts) expect((await run(action, request)).status).toBe(403);

    const settings = staffRoutes["../../app/routes/staff.settings.tsx"];
    const before = await database.current.db.select().from(brandSettings);
    const denied = await run(settings.action, post("/staff/settings", { brandName: "Pwned", brandColor: "#000000", currency: "JPY", timeZone: "Asia/Tokyo" }, viewer.cookie));
    expect(denied.status).toBe(403);
    expect(await database.current.db.select().from(brandSettings)).toEqual(before);

    const accounts = await database.current.db.select().from(staffUsers);
    expect(accounts).toHaveLength(2);
    expect(accounts.find((a) => a.id === viewer.user.id)?.role).toBe("viewer");
    expect(accounts.find((a) => a.id === admin.user.id)?.active).toBe(true);
  });

  it("lets an admin add staff, change a role and deactivate, but never remove the last admin", async () => {
    const admin = await staffSession("admin");
    const { action } = staffRoutes["../../app/routes/staff.admin.tsx"];
    const added = await run(action, post("/staff/admin", { intent: "add", name: "Ken", email: "ken@example.com", role: "viewer", password: "a long enough password" }, admin.cookie));
    expect(added.status).toBe(200);
    const duplicate = await run(action, post("/staff/admin", { intent: "add", name: "Ken 2", email: "KEN@example.com", role: "viewer", password: "a long enough password" }, admin.cookie));
    expect(duplicate.status).toBe(409);
    const [ken] = await database.current.db.select().from(staffUsers).where(eq(staffUsers.email, "ken@example.com"));
    expect((await run(action, post("/staff/admin", { intent: "role", userId: String(ken.id), role: "staff" }, admin.cookie))).status).toBe(200);
    const demote = await run(action, post("/staff/admin", { intent: "role", userId: String(admin.user.id), role: "viewer" }, admin.cookie));
    expect(demote.status).toBe(409);
    const rows = await database.current.db.select().from(staffUsers);
    expect(rows.map((r) => [r.email, r.role]).sort()).toEqual([["admin@example.com", "admin"], ["ken@example.com", "staff"]]);
  });
});
