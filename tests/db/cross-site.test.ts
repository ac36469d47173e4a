// The cross-site rule (app/utils/same-origin.server.ts, issue 14 item 3): every POST, PUT, PATCH and
// DELETE whose Origin or Sec-Fetch-Site is not the portal's own gets 403 before any route runs, for every
// route module under app/routes and the answer endpoint, through the portal's real request path; the
// portal's own pages (and clients that are not browsers) are let through.
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client.server";
import { getImportJob } from "~/services/import/import.server";
import { resetEnvForTests } from "~/utils/env.server";
import { crossSiteRefusal } from "~/utils/same-origin.server";
import { drainJobs } from "~/services/jobs/runner.server";
import { useTestDatabase } from "../setup/db";
import { routeManifest, send, useTestPortal } from "../support/portal-server";
import { staffSession } from "../support/requests";

const REFUSED = /came from another site/;

/** A URL of each route module (its parameters filled with records that need not exist), and the answer endpoint's two. */
function everyRoute(): string[] {
  const token = "x".repeat(43);
  const pages = routeManifest().map(({ pattern }) => pattern.replace(/:\w+/g, (name) => (name === ":token" ? token : "1")).replace("*", "nowhere"));
  return [...pages, `/s/${token}/answers`, `/s/o/${token}/answers`];
}

/** A CSV upload as the imports page sends it: multipart, with the body's own boundary. */
async function purchaseUpload() {
  const form = new FormData();
  form.set("kind", "purchases");
  form.set("file", new Blob(["customer_id,purchased_at,amount\nX1,2026-01-01,100\n"]), "x.csv");
  const request = new Request("http://portal.test/", { method: "POST", body: form });
  return { contentType: request.headers.get("Content-Type")!, body: Buffer.from(await request.arrayBuffer()) };
}

const counts = async () =>
  (
    await queryRows<{ jobs: number; sessions: number; staff: number; purchases: number }>(
      sql`select (select count(*)::int from import_jobs) as jobs, (select count(*)::int from staff_sessions) as sessions,
                 (select count(*)::int from staff_users) as staff, (select count(*)::int from purchases) as purchases`,
    )
  )[0]!;

describe("the cross-site rule", () => {
  useTestDatabase();
  const served = useTestPortal();
  afterEach(() => {
    delete process.env.PUBLIC_URL;
    resetEnvForTests();
  });

  it("refuses a cross-site POST, PUT, PATCH and DELETE to every route module with 403, before any work", async () => {
    const portal = served.current;
    const admin = await staffSession("admin");
    const before = await counts();
    const routes = everyRoute();
    expect(routes.length).toBeGreaterThanOrEqual(45);
    const foreign: Record<string, string>[] = [
      { Origin: "https://evil.example" },
      { Origin: "null" },
      // Another port of the same machine is another origin, and so is a host that merely starts like ours.
      { Origin: "http://127.0.0.1:1" },
      { Origin: `${portal.url}.evil.example` },
      { "Sec-Fetch-Site": "cross-site" },
      { "Sec-Fetch-Site": "same-site" },
      // Sec-Fetch-Site has the last word even beside a matching Origin.
      { Origin: portal.url, "Sec-Fetch-Site": "cross-site" },
    ];
    const failures: string[] = [];
    const upload = await purchaseUpload();
    for (const path of routes) {
      for (const [index, headers] of foreign.entries()) {
        const method = ["POST", "PUT", "PATCH", "DELETE"][index % 4]!;
        for (const target of [path, `${path === "/" ? "/_root" : path}.data`]) {
          const response = await send(portal.url, method, target, { Cookie: admin.cookie, "Content-Type": upload.contentType, ...headers }, upload.body);
          if (response.status !== 403 || !REFUSED.test(response.body)) failures.push(`${method} ${target} ${JSON.stringify(headers)} → ${response.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Nothing ran: no import started, the session was not ended, no account or purchase changed.
    expect(await counts()).toEqual(before);
  }, 300_000);

  it("a cross-site upload starts no import and a cross-site sign-out keeps the session; the same posts from the portal's own page work", async () => {
    const portal = served.current;
    const staff = await staffSession("staff");
    const upload = await purchaseUpload();
    const post = (path: string, origin: string, body: { contentType: string; body: Buffer | string }) =>
      send(portal.url, "POST", path, { Cookie: staff.cookie, Origin: origin, Accept: "application/json", "Content-Type": body.contentType }, body.body);
    const empty = { contentType: "application/x-www-form-urlencoded", body: "" };

    expect((await post("/staff/imports/upload", "https://evil.example", upload)).status).toBe(403);
    expect((await post("/logout", "https://evil.example", empty)).status).toBe(403);
    expect(await counts()).toMatchObject({ jobs: 0, sessions: 1 });
    expect((await send(portal.url, "GET", "/staff", { Cookie: staff.cookie })).status).toBe(200);

    const accepted = await post("/staff/imports/upload", portal.url, upload);
    expect(accepted.status).toBe(200);
    const { jobId } = JSON.parse(accepted.body) as { jobId: number };
    // Queued for the job runner, which a served portal runs; here the test runs the queue.
    await drainJobs();
    expect((await getImportJob(jobId))?.job.status).toBe("done");
    const signedOut = await post("/logout", portal.url, empty);
    expect([signedOut.status, signedOut.headers.location]).toEqual([302, "/login?signedOut=1"]);
    expect(await counts()).toMatchObject({ jobs: 1, sessions: 0, purchases: 1 });
  }, 120_000);

  it("lets every route module receive a post from the portal's own pages", async () => {
    const portal = served.current;
    const admin = await staffSession("admin");
    const own: Record<string, string>[] = [
      { Origin: portal.url, "Sec-Fetch-Site": "same-origin" },
      // Neither header: curl, the CLI, a monitor; not a browser on another site.
      {},
    ];
    const failures: string[] = [];
    for (const path of everyRoute().filter((p) => p !== "/logout")) {
      for (const headers of own) {
        const response = await send(portal.url, "POST", path, { Cookie: admin.cookie, "Content-Type": "application/x-www-form-urlencoded", ...headers }, "intent=nothing");
        if (REFUSED.test(response.body)) failures.push(`POST ${path} ${JSON.stringify(headers)} → ${response.status}`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it("knows the portal's address behind a proxy: X-Forwarded-Host, or PUBLIC_URL", async () => {
    const portal = served.current;
    const post = (headers: Record<string, string>) =>
      send(portal.url, "POST", "/locale", { "Content-Type": "application/x-www-form-urlencoded", ...headers }, "locale=en");
    // Either header alone is enough when it names the portal.
    expect((await post({ Origin: portal.url })).status).not.toBe(403);
    expect((await post({ "Sec-Fetch-Site": "same-origin" })).status).not.toBe(403);
    // The proxy sends the public host along; the browser's Origin names it.
    expect((await post({ Origin: "https://loyalty.example.com", "X-Forwarded-Host": "loyalty.example.com" })).status).not.toBe(403);
    expect((await post({ Origin: "https://loyalty.example.com" })).status).toBe(403);
    // A proxy that rewrites Host and forwards nothing: PUBLIC_URL names the portal's address.
    process.env.PUBLIC_URL = "https://loyalty.example.com";
    resetEnvForTests();
    expect((await post({ Origin: "https://loyalty.example.com" })).status).not.toBe(403);
    expect((await post({ Origin: "http://loyalty.example.com" })).status).toBe(403);
    expect((await post({ Origin: "https://loyalty.example.com.evil.example" })).status).toBe(403);
  });

  it("leaves reads alone and names the header that refused a write", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) expect(crossSiteRefusal(method, { origin: "https://evil.example", "sec-fetch-site": "cross-site" })).toBeNull();
    expect(crossSiteRefusal("POST", { host: "portal.test", origin: "https://evil.example" })).toMatch(/Origin: https:\/\/evil\.example/);
    expect(crossSiteRefusal("DELETE", { host: "portal.test", "sec-fetch-site": "same-site" })).toMatch(/Sec-Fetch-Site: same-site/);
    expect(crossSiteRefusal("POST", { host: "portal.test", origin: "not a url" })).toMatch(/Origin/);
    expect(crossSiteRefusal("POST", { host: "portal.test", origin: "http://portal.test" })).toBeNull();
    expect(crossSiteRefusal("POST", { host: "portal.test", "sec-fetch-site": "none" })).toBeNull();
  });
});
