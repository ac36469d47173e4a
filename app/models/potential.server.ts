// Customer potential (issue 19): the statements behind the fits, the per-customer figures and the
// validation. Every query is set-based: the models read distinct (x, t_x, T) and (x, m_x) combinations
// with their customer counts, and the predictions go back as one row per combination, joined to the
// customers by the materialized view customer_potential.
import { desc, eq, sql, type SQL } from "drizzle-orm";
import { getDb, type Db } from "../../db/client.server";
import { float8Array } from "../../db/sql-arrays";
import { potentialFits, potentialState, potentialSummary, type PotentialModel } from "../../db/schema";

/** Distinct (x, t_x, T) and their customer counts, as parallel arrays (the fit's input). */
export interface FrequencyRows {
  x: number[];
  tx: number[];
  T: number[];
  n: number[];
}

/** Distinct (x, m_x) of the repeat customers with spend, as parallel arrays. */
export interface SpendRows {
  x: number[];
  mx: number[];
  n: number[];
}

// Columns as arrays of float8, read back as JS numbers on both drivers.
const asArrays = (names: string[]) =>
  sql.raw(names.map((n) => `coalesce(array_agg(${n}::float8), '{}') as ${n}`).join(", "));

/**
 * The combinations packed into one bytea (big-endian int4 and float8 fields, one record after another):
 * a million customers' combinations cross in one value that the driver hands over as bytes, without
 * the text parsing of half a million array elements (the refit reads it on every refresh).
 */
async function packed(db: Db, query: SQL): Promise<DataView> {
  const [row] = await db.select({ b: sql<Uint8Array | null>`b` }).from(sql`(${query}) p`);
  const bytes = row.b ?? new Uint8Array(0);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The BG/NBD input of the refreshed behaviour metrics (as of their as_of): the distinct (x, t_x, T) of the
 * customers with a purchase day and their counts, grouped by the refresh (potential_frequency).
 */
export async function frequencyRowsFromMetrics(db: Db = getDb()): Promise<FrequencyRows> {
  const view = await packed(
    db,
    sql`select string_agg(int4send(x) || int4send(tx) || int4send(t) || int4send(n), ''::bytea) as b
          from potential_frequency`,
  );
  const rows: FrequencyRows = { x: [], tx: [], T: [], n: [] };
  for (let at = 0; at < view.byteLength; at += 16) {
    rows.x.push(view.getInt32(at));
    rows.tx.push(view.getInt32(at + 4));
    rows.T.push(view.getInt32(at + 8));
    rows.n.push(view.getInt32(at + 12));
  }
  return rows;
}

/** The Gamma-Gamma input of the behaviour metrics: distinct (x, m_x) with x >= 1 and m_x > 0 (potential_spend). */
export async function spendRowsFromMetrics(db: Db = getDb()): Promise<SpendRows> {
  // Grouped by the repeat days' total (x m_x), divided here.
  const view = await packed(db, sql`select string_agg(int4send(x) || float8send(z) || int4send(n), ''::bytea) as b from potential_spend`);
  const rows: SpendRows = { x: [], mx: [], n: [] };
  for (let at = 0; at < view.byteLength; at += 16) {
    const x = view.getInt32(at);
    rows.x.push(x);
    rows.mx.push(view.getFloat64(at + 4) / x);
    rows.n.push(view.getInt32(at + 12));
  }
  return rows;
}

/**
 * Every customer's inputs as of `calibrationEnd`, and their purchase days in the hold-out after it up to
 * `asOf` (both YYYY-MM-DD, brand time zone), straight from purchases: the validation page's data.
 * Customers whose first purchase is after calibrationEnd are not in it. One pass: purchases grouped by
 * customer and day, then by customer, then by (x, t_x, T).
 */
function holdoutSql(calibrationEnd: string, asOf: string) {
  return sql`
    with s as (select time_zone as tz from brand_settings where id = 1),
    days as (
      select p.customer_id, (p.purchased_at at time zone s.tz)::date as d
        from purchases p cross join s
       where p.amount >= 0 and p.purchased_at < ((${asOf}::date + 1)::timestamp at time zone s.tz)
       group by 1, 2),
    per as (
      select customer_id, min(d) as first_day,
             max(d) filter (where d <= ${calibrationEnd}::date) as last_cal,
             count(*) filter (where d <= ${calibrationEnd}::date) as n_cal,
             count(*) filter (where d > ${calibrationEnd}::date) as n_holdout
        from days group by 1)
    select n_cal - 1 as x, last_cal - first_day as tx, ${calibrationEnd}::date - first_day as "T",
           count(*) as n, sum(n_holdout) as actual
      from per where first_day <= ${calibrationEnd}::date group by 1, 2, 3`;
}

/** The validation's calibration combinations with the hold-out's actual purchase days. */
export async function holdoutRows(calibrationEnd: string, asOf: string, db: Db = getDb()) {
  const [row] = await db
    .select({
      x: sql<number[]>`x`,
      tx: sql<number[]>`tx`,
      T: sql<number[]>`"T"`,
      n: sql<number[]>`n`,
      actual: sql<number[]>`actual`,
    })
    .from(sql`(select ${asArrays(["x", "tx", '"T"', "n", "actual"])} from (${holdoutSql(calibrationEnd, asOf)}) h) a`);
  return row;
}

/** The spend input as of calibrationEnd (the validation's Gamma-Gamma fit). */
export async function holdoutSpendRows(calibrationEnd: string, db: Db = getDb()): Promise<SpendRows> {
  const [row] = await db.select({ x: sql<number[]>`x`, mx: sql<number[]>`mx`, n: sql<number[]>`n` }).from(
    sql`(select ${asArrays(["x", "mx", "n"])}
           from (select x, repeat / x as mx, count(*) as n
                   from (select customer_id, count(*) - 1 as x,
                                sum(total) - (array_agg(total order by d))[1] as repeat
                           from (select p.customer_id, (p.purchased_at at time zone s.tz)::date as d, sum(p.amount) as total
                                   from purchases p cross join (select time_zone as tz from brand_settings where id = 1) s
                                  where p.amount >= 0 and p.purchased_at < ((${calibrationEnd}::date + 1)::timestamp at time zone s.tz)
                                  group by 1, 2) days
                          group by 1) c
                  where x >= 1 and repeat > 0 group by 1, 2) g) a`,
  );
  return row;
}

// ---- Fits ---------------------------------------------------------------------------------------

export interface FitRecord {
  model: PotentialModel;
  asOf: string;
  purpose: "current" | "validation";
  converged: boolean;
  params: Record<string, number> | null;
  logLikelihood: number | null;
  customers: number;
  iterations: number;
  seconds: number;
  message: string | null;
  reasonCode?: string | null;
  reasonValues?: Record<string, number> | null;
}

export async function recordFit(fit: FitRecord, db: Db = getDb()): Promise<number> {
  const [row] = await db.insert(potentialFits).values(fit).returning({ id: potentialFits.id });
  return row.id;
}

export type StoredFit = typeof potentialFits.$inferSelect;

/** The fit the current figures come from, per model (null before the first converged fit). */
export async function currentFits(db: Db = getDb()) {
  const [state] = await db.select().from(potentialState).where(eq(potentialState.id, 1));
  const fitOf = async (id: number | null | undefined) =>
    id ? ((await db.select().from(potentialFits).where(eq(potentialFits.id, id)))[0] ?? null) : null;
  return { state: state ?? null, bgnbd: await fitOf(state?.bgnbdFitId), gammaGamma: await fitOf(state?.gammaGammaFitId) };
}

/** The latest refit attempt of a model (converged or not): the page says when the latest one failed. */
export async function latestAttempt(model: PotentialModel, db: Db = getDb()) {
  const [row] = await db
    .select()
    .from(potentialFits)
    .where(sql`${potentialFits.model} = ${model} and ${potentialFits.purpose} = 'current'`)
    .orderBy(desc(potentialFits.id))
    .limit(1);
  return row ?? null;
}

/**
 * Replaces the predictions (E[Y | alive, x, T] per distinct (x, T)) and the current fits, and recomputes
 * every customer's figures (one REFRESH of customer_potential, then its per-segment summary), in one
 * transaction: readers see the old figures or the new ones.
 */
export async function storePredictions(
  rows: { x: number[]; T: number[]; expectedIfAlive: number[] },
  state: { asOf: string; bgnbdFitId: number; gammaGammaFitId: number | null; horizonDays: number },
  db: Db = getDb(),
) {
  await db.transaction(async (tx) => {
    // JIT compiling the view's arithmetic took longer (0.7 s at a million customers) than it saved.
    await tx.execute(sql`set local work_mem = '256MB'`);
    await tx.execute(sql`set local jit = off`);
    await tx.execute(sql`truncate potential_predictions`);
    if (rows.x.length) {
      await tx.execute(sql`insert into potential_predictions (x, t, expected_if_alive)
        select * from unnest(${float8Array(rows.x)}::int[], ${float8Array(rows.T)}::int[], ${float8Array(rows.expectedIfAlive)})`);
    }
    await tx
      .insert(potentialState)
      .values({ id: 1, ...state, scoredAt: new Date() })
      .onConflictDoUpdate({ target: potentialState.id, set: { ...state, scoredAt: new Date() } });
    await tx.execute(sql`refresh materialized view customer_potential`);
    await tx.execute(sql`refresh materialized view potential_summary`);
  });
}

/** Each CPM segment's expected 90-day value and mean p_alive (the matrix's cells). */
export async function potentialBySegment(db: Db = getDb()) {
  const rows = await db
    .select({ segment: potentialSummary.cpmSegment, value: potentialSummary.expectedValue, meanPAlive: potentialSummary.meanPAlive })
    .from(potentialSummary);
  return new Map(rows.map((r) => [r.segment, { value: r.value === null ? null : Number(r.value), meanPAlive: r.meanPAlive }]));
}
