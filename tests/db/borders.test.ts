import { describe, expect, it, vi } from "vitest";
import * as borders from "~/routes/staff.behaviour.borders";
import * as movement from "~/routes/staff.behaviour.movement";
import * as upload from "~/routes/staff.imports.upload";
import { getMetricsState } from "~/models/metrics.server";
import { countCustomers } from "~/models/customers.server";
import { useTestDatabase } from "../setup/db";
import { get, post, run, staffSession } from "../support/requests";

describe("bad input on the behaviour pages", () => {
  useTestDatabase();

  it("refuses borders that are not whole positive days or a positive amount, naming the field, and changes nothing", async () => {
    const { cookie } = await staffSession("staff");
    const before = await getMetricsState();
    const response = await run(borders.action, post("/staff/behaviour/borders", { tenureBorderDays: "0", spendBorder: "-5", lapseBorderDays: "12.5" }, cookie));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      fieldErrors: { tenureBorderDays: "errors.wholeDays", spendBorder: "errors.positiveAmount", lapseBorderDays: "errors.wholeDays" },
    });
    expect(await getMetricsState()).toEqual(before);
  });

  it("lets a viewer read the borders but not change them", async () => {
    const { cookie } = await staffSession("viewer");
    expect((await run(borders.loader, get("/staff/behaviour/borders", cookie))).status).toBe(200);
    const before = await getMetricsState();
    const response = await run(borders.action, post("/staff/behaviour/borders", { tenureBorderDays: "100", spendBorder: "1000", lapseBorderDays: "50" }, cookie));
    expect(response.status).toBe(403);
    expect(await getMetricsState()).toEqual(before);
  });

  it("says so when the movement dates are in the wrong order", async () => {
    const { cookie } = await staffSession("viewer");
    const response = await run(movement.loader, get("/staff/behaviour/movement?from=2026-05-01&to=2026-01-01", cookie));
    expect(await response.json()).toMatchObject({ error: "cpm.movementOrder", moves: [] });
  });

  it("ends the movement on today in the brand's time zone before any refresh fixed a date", async () => {
    const { cookie } = await staffSession("viewer");
    expect(await getMetricsState()).toMatchObject({ asOf: null, timeZone: "Asia/Tokyo" });
    // 20:00 UTC on 31 March is already 1 April in Tokyo.
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-03-31T20:00:00Z") });
    try {
      const response = await run(movement.loader, get("/staff/behaviour/movement", cookie));
      expect(await response.json()).toMatchObject({ from: "2026-01-01", to: "2026-04-01", error: null });
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses an upload without a file or with an unknown kind, writing nothing", async () => {
    const { cookie } = await staffSession("staff");
    const send = (fields: Record<string, string>, withFile: boolean) => {
      const body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.set(k, v);
      if (withFile) body.set("file", new Blob(["customer_id\nX1\n"]), "x.csv");
      return run(upload.action, new Request("http://portal.test/staff/imports/upload", { method: "POST", body, headers: { Cookie: cookie, Accept: "application/json" } }));
    };
    const noFile = await send({ kind: "customers" }, false);
    expect(noFile.status).toBe(400);
    expect(await noFile.json()).toEqual({ error: "imports.chooseFile" });
    const badKind = await send({ kind: "orders" }, true);
    expect(badKind.status).toBe(400);
    expect(await badKind.json()).toEqual({ error: "imports.chooseKind" });
    expect(await countCustomers({ sort: "total" })).toBe(0);
  });
});
