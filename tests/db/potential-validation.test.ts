// The customer-potential validation page on a real database (PGlite, and PostgreSQL with
// TEST_DATABASE_URL): the job holds out the last N days, its buckets hold every calibration customer,
// their actual hold-out purchase days are the ones counted here from the purchases, and the predictions
// are there; a bad hold-out is refused by name and queues nothing; a viewer cannot start one.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "../../db/client.server";
import { seedDemo } from "../../db/seed/demo";
import { localDate } from "~/domain/cpm";
import { bucketOf, VALIDATION_BUCKETS } from "~/domain/potential";
import { resources } from "~/i18n";
import { getMetricsState, refreshMetrics } from "~/models/metrics.server";
import { recordFit } from "~/models/potential.server";
import { refreshBehaviour } from "~/services/behaviour.server";
import { drainJobs } from "~/services/jobs/runner.server";
import { latestValidation, startValidation } from "~/services/potential/validation-job.server";
import { useTestDatabase } from "../setup/db";
import { get, post, run, staffSession } from "../support/requests";

const options = { seed: 11, customers: 600, asOf: new Date("2026-11-01T00:00:00Z") };
const AS_OF = "2026-10-31";
const PAGE = "/staff/behaviour/potential";

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Per calibration bucket, counted in TypeScript from the purchases themselves: the customers whose
 * first purchase day is on or before calibrationEnd, and their purchase days after it up to asOf.
 */
async function expectedBuckets(calibrationEnd: string, asOf: string) {
  const { timeZone } = await getMetricsState();
  const rows = await queryRows<{ customer_id: number; ms: number; amount: string }>(
    sql`select customer_id::int as customer_id, (extract(epoch from purchased_at) * 1000)::float8 as ms, amount::text as amount from purchases`,
  );
  const days = new Map<number, Set<string>>();
  for (const row of rows) {
    if (Number(row.amount) < 0) continue;
    const day = localDate(new Date(Number(row.ms)), timeZone);
    if (day > asOf) continue;
    const set = days.get(Number(row.customer_id)) ?? new Set<string>();
    set.add(day);
    days.set(Number(row.customer_id), set);
  }
  const buckets = Array.from({ length: VALIDATION_BUCKETS }, (_, x) => ({ x, customers: 0, actual: 0 }));
  let customers = 0;
  for (const set of days.values()) {
    const sorted = [...set].sort();
    if (sorted[0] > calibrationEnd) continue;
    const calibration = sorted.filter((d) => d <= calibrationEnd).length;
    const bucket = buckets[bucketOf(calibration - 1)];
    bucket.customers += 1;
    bucket.actual += sorted.length - calibration;
    customers += 1;
  }
  return { buckets, customers };
}

describe("the customer-potential validation", () => {
  useTestDatabase();

  it("holds out the last N days: every calibration customer in a bucket, actual days as counted from the purchases, predictions made", async () => {
    await seedDemo(getDb(), options);
    await refreshMetrics({ asOf: AS_OF });

    // One at a time: a second start while the first is queued is the first.
    const first = await startValidation(90);
    const again = await startValidation(30);
    expect(first).toMatchObject({ status: "queued", step: "queued", asOf: AS_OF, holdoutDays: 90 });
    expect(again!.jobId).toBe(first!.jobId);
    await drainJobs();

    const done = await latestValidation();
    expect(done).toMatchObject({ jobId: first!.jobId, status: "done", step: "predicting", error: null });
    const validation = done!.validation!;
    const calibrationEnd = addDays(AS_OF, -90);
    expect(validation).toMatchObject({ asOf: AS_OF, calibrationEnd, holdoutDays: 90 });
    expect(validation.bgnbd.converged, validation.bgnbd.message ?? "").toBe(true);

    const expected = await expectedBuckets(calibrationEnd, AS_OF);
    expect(expected.customers).toBeGreaterThan(300);
    expect(validation.customers).toBe(expected.customers);
    expect(validation.buckets.reduce((s, b) => s + b.customers, 0)).toBe(expected.customers);
    expect(validation.buckets.map(({ x, customers, actual }) => ({ x, customers, actual }))).toEqual(expected.buckets);

    const actual = expected.buckets.reduce((s, b) => s + b.actual, 0);
    expect(actual).toBeGreaterThan(0);
    expect(validation.total).toMatchObject({ actual });
    expect(validation.total!.predicted).toBeGreaterThan(0);
    for (const b of validation.buckets) if (b.customers > 0) expect(b.predicted, `bucket ${b.x}`).toBeGreaterThan(0);
    expect(validation.total!.totalError).toBeCloseTo((validation.total!.predicted - actual) / actual, 10);
    expect(validation.newCustomerExpected).toBeGreaterThan(0);
  });

  it("refuses a bad hold-out by name and queues nothing; a viewer cannot start one; staff can", async () => {
    const { action, loader } = await import("~/routes/staff.behaviour.potential");
    await seedDemo(getDb(), options);
    await refreshMetrics({ asOf: AS_OF });
    const staff = await staffSession("staff");
    const viewer = await staffSession("viewer");

    for (const holdoutDays of ["0", "6", "400", "abc", "", "30.5"]) {
      const refused = await run(action, post(PAGE, { holdoutDays }, staff.cookie));
      expect(refused.status, holdoutDays).toBe(400);
      const { fieldErrors } = (await refused.json()) as { fieldErrors: Record<string, string> };
      expect(fieldErrors, holdoutDays).toEqual({ holdoutDays: "potentialPage.errors.holdoutDays" });
    }
    // The message names the field, in both languages.
    expect(resources.en.common.potentialPage.errors.holdoutDays).toMatch(/^Hold-out days: .*7.*365/);
    expect(resources.ja.common.potentialPage.errors.holdoutDays).toMatch(/^ホールドアウト期間（日）：.*7.*365/);
    expect(await latestValidation()).toBeNull();

    // A viewer sees the page but may not post to it (403); signed out, the sign-in page.
    expect((await run(action, post(PAGE, { holdoutDays: "90" }, viewer.cookie))).status).toBe(403);
    const signedOut = await run(action, post(PAGE, { holdoutDays: "90" }));
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get("Location")).toMatch(/^\/login/);
    expect(await latestValidation()).toBeNull();
    const page = await run(loader, get(PAGE, viewer.cookie));
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ canRun: false, run: null, metricsAsOf: AS_OF });

    // Staff: queued, back to the page, and the page shows it running, then done.
    const started = await run(action, post(PAGE, { holdoutDays: "60" }, staff.cookie));
    expect(started.status).toBe(302);
    expect(started.headers.get("Location")).toBe(PAGE);
    expect(await latestValidation()).toMatchObject({ status: "queued", holdoutDays: 60, asOf: AS_OF });
    await drainJobs();
    const after = (await (await run(loader, get(PAGE, staff.cookie))).json()) as { canRun: boolean; run: { status: string; validation: { calibrationEnd: string } } };
    expect(after.canRun).toBe(true);
    expect(after.run).toMatchObject({ status: "done", validation: { calibrationEnd: addDays(AS_OF, -60) } });
  });

  it("shows the current fits, none before the first, and says when the latest refit did not converge", async () => {
    const { loader } = await import("~/routes/staff.behaviour.potential");
    await seedDemo(getDb(), options);
    await refreshMetrics({ asOf: AS_OF });
    const viewer = await staffSession("viewer");
    const page = async () => (await (await run(loader, get(PAGE, viewer.cookie))).json()) as Record<string, unknown>;
    const failed = (model: "bgnbd" | "gamma_gamma", message: string) =>
      recordFit({ model, asOf: AS_OF, purpose: "current", converged: false, params: null, logLikelihood: null, customers: 10, iterations: 200, seconds: 0.1, message });

    // Before any fit: nothing to show; a failed first attempt says so, with nothing kept.
    expect(await page()).toMatchObject({ bgnbd: null, gammaGamma: null, failures: { bgnbd: null, gammaGamma: null } });
    await failed("bgnbd", "first attempt failed");
    expect(await page()).toMatchObject({ bgnbd: null, failures: { bgnbd: { message: "first attempt failed" }, gammaGamma: null } });

    // The behaviour refresh fits both: their facts and parameters, and no warning.
    await refreshBehaviour({ asOf: AS_OF });
    const fitted = await page();
    expect(fitted).toMatchObject({
      bgnbd: { asOf: AS_OF, customers: expect.any(Number), iterations: expect.any(Number), params: { r: expect.any(Number), alpha: expect.any(Number), a: expect.any(Number), b: expect.any(Number) } },
      gammaGamma: { asOf: AS_OF, params: { p: expect.any(Number), q: expect.any(Number), gamma: expect.any(Number) } },
      failures: { bgnbd: null, gammaGamma: null },
    });
    expect((fitted.bgnbd as { logLikelihood: number }).logLikelihood).toBeLessThan(0);

    // A later refit that does not converge: the warning, and the previous parameters still shown.
    await failed("gamma_gamma", "q came out below 1");
    const kept = await page();
    expect(kept).toMatchObject({ gammaGamma: fitted.gammaGamma, failures: { bgnbd: null, gammaGamma: { message: "q came out below 1" } } });
  });
});
