// Customers with their behaviour metrics: the list (search, filters, keyset pagination), one
// customer's page, and the CSV export. Every query is set-based and bounded.
import { sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, type Db } from "../../db/client.server";
import { col, nullableCol, qualified } from "../../db/columns";
import { bigintArray } from "../../db/sql-arrays";
import { customerMetrics, customerPotential, customers, purchases, surveyResponses } from "../../db/schema";
import type { QuadrantBorders } from "~/domain/loyalty";
import { getLoyaltySettings, quadrantSql } from "./loyalty.server";
import type { CustomerListQuery, CustomerSort } from "~/schemas/customers";

/**
 * The customer's two survey figures, each by its own "latest" rule (DESIGN §3, issue 12):
 * - the psychological loyalty score is the latest response that has one (scored from at least two of the
 *   five loyalty constructs), so a later one-question NPS survey does not overwrite it;
 * - the NPS score and category come from the latest response that answered a recommend item.
 * Each lateral reads one row of its partial index (survey_responses_customer_psych / _nps).
 */
export const latestScores = sql`
  left join lateral (
    select r.psych_score from survey_responses r
    where r.customer_id = c.id and r.psych_score is not null
    order by r.submitted_at desc, r.id desc limit 1
  ) ls on true
  left join lateral (
    select r.nps_score, r.nps_category from survey_responses r
    where r.customer_id = c.id and r.nps_score is not null
    order by r.submitted_at desc, r.id desc limit 1
  ) ln on true`;

// The query's aliases as drizzle tables, so each selected column's type comes from the schema: `c` the
// customer, `m` their metrics, `ls`/`ln` the two laterals of latestScores (each a survey_responses row).
const c = alias(customers, "c");
const m = alias(customerMetrics, "m");
const ls = alias(surveyResponses, "ls");
const ln = alias(surveyResponses, "ln");
const p = alias(customerPotential, "p");

const columns = {
  id: col(c.id),
  external_id: col(c.externalId),
  email: col(c.email),
  name: col(c.name),
  purchase_count: col(m.purchaseCount),
  total_amount: col(m.totalAmount),
  first_purchase_at: col(m.firstPurchaseAt),
  last_purchase_at: col(m.lastPurchaseAt),
  tenure_days: col(m.tenureDays),
  lapse_days: col(m.lapseDays),
  rfm_r: col(m.rfmR),
  rfm_f: col(m.rfmF),
  rfm_m: col(m.rfmM),
  cpm_segment: col(m.cpmSegment),
  /** The latest loyalty score and the latest NPS answer, each from its own latest response (latestScores). */
  psych_score: col(ls.psychScore),
  nps_score: col(ln.npsScore),
  nps_category: col(ln.npsCategory),
  /** Customer potential (issue 19): null before the first fit, and for customers without a purchase. */
  p_alive: nullableCol(p.pAlive),
  expected_purchases_90d: nullableCol(p.expectedPurchases90d),
  expected_value_90d: nullableCol(p.expectedValue90d),
};

/** The customer's quadrant from the live latest score and current segment (null without a score). */
const quadrantColumn = (borders: QuadrantBorders) => quadrantSql(borders, qualified(m.cpmSegment), qualified(ls.psychScore));

/** Sort key per sort: an expression and its direction; ties break on the customer id the same way. */
// The tie-breaker is the id column of the table the sort key lives in, so an index on (key, id) serves
// both the order and the keyset condition.
const sortKeys: Record<CustomerSort, { expr: SQL; tie: SQL; desc: boolean; cast: string }> = {
  total: { expr: sql`m.total_amount`, tie: sql`m.customer_id`, desc: true, cast: "numeric" },
  count: { expr: sql`m.purchase_count`, tie: sql`m.customer_id`, desc: true, cast: "integer" },
  last: { expr: sql`coalesce(m.last_purchase_at, '-infinity'::timestamptz)`, tie: sql`m.customer_id`, desc: true, cast: "timestamptz" },
  id: { expr: sql`c.external_id`, tie: sql`c.id`, desc: false, cast: "text" },
  alive: { expr: sql`p.p_alive`, tie: sql`p.customer_id`, desc: true, cast: "float8" },
  value: { expr: sql`p.expected_value_90d`, tie: sql`p.customer_id`, desc: true, cast: "float8" },
};

function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Whether the query filters on the survey axis, which reads customer_loyalty (as `l`). */
export function usesLoyalty(q: CustomerListQuery) {
  return q.minScore !== undefined || q.maxScore !== undefined || q.nps !== undefined || q.quadrant !== undefined;
}

/** Whether the query sorts or filters on customer potential (only customers with a purchase have one). */
function usesPotential(q: CustomerListQuery) {
  return q.sort === "alive" || q.sort === "value" || q.minAlive !== undefined || q.maxAlive !== undefined || q.minValue !== undefined;
}

/**
 * The joins the filters need, after `customer_metrics m`: the loyalty figures (as `l`) and the customer
 * potential (as `p`; inner when sorted or filtered on it, so the sort can walk its index).
 */
function loyaltyJoin(q: CustomerListQuery): SQL {
  const loyalty = usesLoyalty(q) ? sql`left join customer_loyalty l on l.customer_id = m.customer_id` : sql``;
  const potential = usesPotential(q)
    ? sql`join customer_potential p on p.customer_id = m.customer_id`
    : sql`left join customer_potential p on p.customer_id = m.customer_id`;
  return sql`${loyalty} ${potential}`;
}

function filters(q: CustomerListQuery, borders: QuadrantBorders): SQL {
  const parts: SQL[] = [sql`true`];
  if (q.q) {
    const like = escapeLike(q.q);
    parts.push(sql`(c.external_id = ${q.q} or lower(c.email) like ${like.toLowerCase() + "%"} or c.name ilike ${"%" + like + "%"})`);
  }
  // With customer potential joined (inner), its copy of the segment: (segment, p_alive) is its index.
  if (q.segment) parts.push(usesPotential(q) ? sql`p.cpm_segment = ${q.segment}` : sql`m.cpm_segment = ${q.segment}`);
  if (q.r) parts.push(sql`m.rfm_r = ${q.r}`);
  if (q.f) parts.push(sql`m.rfm_f = ${q.f}`);
  if (q.m) parts.push(sql`m.rfm_m = ${q.m}`);
  // The survey axis from customer_loyalty, which the pages bring up to date first (ensureLoyaltyFresh).
  if (q.minScore !== undefined) parts.push(sql`l.psych_score >= ${q.minScore}`);
  if (q.maxScore !== undefined) parts.push(sql`l.psych_score <= ${q.maxScore}`);
  if (q.nps) parts.push(sql`l.nps_category = ${q.nps}`);
  if (q.minAlive !== undefined) parts.push(sql`p.p_alive >= ${q.minAlive / 100}`);
  if (q.maxAlive !== undefined) parts.push(sql`p.p_alive <= ${q.maxAlive / 100}`);
  if (q.minValue !== undefined) parts.push(sql`p.expected_value_90d >= ${q.minValue}`);
  if (q.sort === "value") parts.push(sql`p.expected_value_90d is not null`);
  if (q.quadrant === "unscored") parts.push(sql`l.psych_score is null`);
  else if (q.quadrant) parts.push(sql`${quadrantSql(borders, sql`m.cpm_segment`, sql`l.psych_score`)} = ${q.quadrant}`);
  return sql.join(parts, sql` and `);
}

export function encodeCursor(value: string | number | null, id: number) {
  return Buffer.from(JSON.stringify([value, id])).toString("base64url");
}

function decodeCursor(cursor: string | undefined): [string, number] | null {
  if (!cursor) return null;
  try {
    const [value, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if ((typeof value !== "string" && typeof value !== "number") || !Number.isSafeInteger(id)) return null;
    return [String(value), id];
  } catch {
    return null;
  }
}

export const PAGE_SIZE = 50;

export async function listCustomers(q: CustomerListQuery, options: { limit?: number; db?: Db } = {}) {
  const limit = options.limit ?? PAGE_SIZE;
  const key = sortKeys[q.sort];
  const cursor = decodeCursor(q.after);
  const direction = key.desc ? sql`desc` : sql`asc`;
  const after = cursor
    ? sql`and (${key.expr}, ${key.tie}) ${key.desc ? sql`<` : sql`>`} (${cursor[0]}::${sql.raw(key.cast)}, ${cursor[1]})`
    : sql``;
  const db = options.db ?? getDb();
  const { borders } = await getLoyaltySettings(db);
  const rows = await db
    .select({ ...columns, quadrant: quadrantColumn(borders), sort_value: sql<string>`m.sort_value` })
    .from(
      sql`(select m.*, p.p_alive, p.expected_purchases_90d, p.expected_value_90d, p.customer_id as p_customer_id,
                  (${key.expr})::text as sort_value
             from customer_metrics m join customers c on c.id = m.customer_id ${loyaltyJoin(q)}
            where ${filters(q, borders)} ${after}
            order by ${key.expr} ${direction}, ${key.tie} ${direction}
            limit ${limit + 1}) m
          join customers c on c.id = m.customer_id
          left join lateral (select m.p_customer_id as customer_id, m.p_alive, m.expected_purchases_90d, m.expected_value_90d) p on true
          ${latestScores}`,
    )
    .orderBy(sql`${key.expr} ${direction}, ${key.tie} ${direction}`);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    customers: page.map(({ sort_value: _, ...row }) => row),
    next: rows.length > limit && last ? encodeCursor(last.sort_value, last.id) : null,
  };
}

/** A customer as the list and the customer page show them: the types come from the schema's columns. */
export type CustomerRow = Awaited<ReturnType<typeof listCustomers>>["customers"][number];

export async function countCustomers(q: CustomerListQuery, db: Db = getDb()) {
  const { borders } = await getLoyaltySettings(db);
  // Filtered on customer potential and its segment copy alone, the count reads customer_potential only
  // (a join of a million rows to customer_metrics would take most of a second).
  const potentialOnly = usesPotential(q) && !q.q && !q.r && !q.f && !q.m && !usesLoyalty(q);
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(
      potentialOnly
        ? sql`customer_potential p`
        : q.q
          ? sql`customer_metrics m join customers c on c.id = m.customer_id ${loyaltyJoin(q)}`
          : sql`customer_metrics m ${loyaltyJoin(q)}`,
    )
    .where(filters(q, borders));
  return row.n;
}

// ---- One customer ------------------------------------------------------------------------------

export async function getCustomer(id: number, db: Db = getDb()) {
  const { borders } = await getLoyaltySettings(db);
  const [customer] = await db
    .select({
      ...columns,
      quadrant: quadrantColumn(borders),
      locale: col(c.locale),
      marketing_consent: col(c.marketingConsent),
      created_at: sql<string>`${qualified(c.createdAt)}::text`,
      second_purchase_at: col(m.secondPurchaseAt),
      as_of: col(m.asOf),
      purchase_days: col(m.purchaseDays),
      potential_as_of: nullableCol(p.asOf),
    })
    .from(sql`customers c join customer_metrics m on m.customer_id = c.id
              left join customer_potential p on p.customer_id = c.id ${latestScores}`)
    .where(sql`${c.id} = ${id}`);
  if (!customer) return null;
  const rows = await db
    .select({
      key: sql<string>`${purchases.dedupeKey}::text`,
      purchased_at: sql<string>`${purchases.purchasedAt}::text`,
      amount: purchases.amount,
      order_id: purchases.orderId,
      channel: purchases.channel,
      store: purchases.store,
    })
    .from(purchases)
    .where(sql`${purchases.customerId} = ${id}`)
    .orderBy(sql`${purchases.purchasedAt} desc, ${purchases.orderId} desc nulls last, ${purchases.dedupeKey}`)
    .limit(1000);
  return { customer, purchases: rows };
}

// ---- Export ------------------------------------------------------------------------------------

export const exportColumns = [
  "customer_id",
  "email",
  "name",
  "purchase_count",
  "total_amount",
  "first_purchase_at",
  "last_purchase_at",
  "tenure_days",
  "lapse_days",
  "rfm_r",
  "rfm_f",
  "rfm_m",
  "cpm_segment",
  // The customer's latest loyalty score and latest NPS answer (latestScores; empty when none).
  "psych_score",
  "nps_score",
  "nps_category",
  // The loyalty matrix's quadrant (issue 16): true_loyal, habitual, latent_fan, low; empty without a score.
  "quadrant",
  // Customer potential (issue 19), as of the current fit; empty without a purchase or before the first fit.
  "p_alive",
  "expected_purchases_90d",
  "expected_value_90d",
] as const;

/** The export's columns, in exportColumns' order; dates as YYYY-MM-DD in the brand's zone. */
const exportFields = {
  customer_id: col(c.externalId),
  email: col(c.email),
  name: col(c.name),
  purchase_count: col(m.purchaseCount),
  total_amount: col(m.totalAmount),
  first_purchase_at: sql<string | null>`to_char(${qualified(m.firstPurchaseAt)} at time zone s.tz, 'YYYY-MM-DD')`,
  last_purchase_at: sql<string | null>`to_char(${qualified(m.lastPurchaseAt)} at time zone s.tz, 'YYYY-MM-DD')`,
  tenure_days: col(m.tenureDays),
  lapse_days: col(m.lapseDays),
  rfm_r: col(m.rfmR),
  rfm_f: col(m.rfmF),
  rfm_m: col(m.rfmM),
  cpm_segment: col(m.cpmSegment),
  psych_score: sql<string | null>`${qualified(ls.psychScore)}::text`,
  nps_score: col(ln.npsScore),
  nps_category: col(ln.npsCategory),
  p_alive: sql<string | null>`round(${qualified(p.pAlive)}::numeric, 4)::text`,
  expected_purchases_90d: sql<string | null>`round(${qualified(p.expectedPurchases90d)}::numeric, 3)::text`,
  expected_value_90d: sql<string | null>`round(${qualified(p.expectedValue90d)}::numeric, 2)::text`,
} satisfies Record<Exclude<(typeof exportColumns)[number], "quadrant">, unknown>;

/**
 * The export's rows in batches (keyset over the customer id), so a million customers stream with
 * bounded memory on both drivers. Dates are YYYY-MM-DD in the brand's time zone.
 */
export async function* exportCustomerRows(q: CustomerListQuery, db: Db = getDb(), batch = 5000): AsyncGenerator<(string | number | null)[][]> {
  let afterId = 0;
  const { borders } = await getLoyaltySettings(db);
  for (;;) {
    const rows = await db
      .select({
        ...exportFields,
        quadrant: quadrantColumn(borders),
        id: col(c.id),
      })
      .from(sql`customer_metrics m join customers c on c.id = m.customer_id ${loyaltyJoin(q)}
                cross join (select time_zone as tz from brand_settings where id = 1) s
                ${latestScores}`)
      .where(sql`${filters(q, borders)} and ${c.id} > ${afterId}`)
      .orderBy(sql`${c.id}`)
      .limit(batch);
    if (rows.length === 0) return;
    yield rows.map((r) => exportColumns.map((col) => r[col] ?? null));
    afterId = rows[rows.length - 1].id;
    if (rows.length < batch) return;
  }
}

/**
 * The export's rows (exportColumns, same values and formats) of the given customers, in the order of
 * `ids` (the candidate export follows its ranking); an id without a customer gives no row. One query:
 * callers pass a batch at a time.
 */
export async function exportRowsOf(ids: number[], db: Db = getDb()): Promise<(string | number | null)[][]> {
  if (ids.length === 0) return [];
  const { borders } = await getLoyaltySettings(db);
  const rows = await db
    .select({ ...exportFields, quadrant: quadrantColumn(borders), id: col(c.id) })
    .from(sql`customers c left join customer_metrics m on m.customer_id = c.id
              left join customer_potential p on p.customer_id = c.id
              cross join (select time_zone as tz from brand_settings where id = 1) s
              ${latestScores}`)
    .where(sql`${c.id} = any(${bigintArray(ids)})`);
  const byId = new Map(rows.map((r) => [r.id, exportColumns.map((col) => r[col] ?? null)]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [row] : [];
  });
}
