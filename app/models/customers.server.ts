// Customers with their behaviour metrics: the list (search, filters, keyset pagination), one
// customer's page, and the CSV export. Every query is set-based and bounded.
import { sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, type Db } from "../../db/client.server";
import { col, qualified } from "../../db/columns";
import { customerMetrics, customers, purchases, surveyResponses } from "../../db/schema";
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
};

/** Sort key per sort: an expression and its direction; ties break on the customer id the same way. */
// The tie-breaker is the id column of the table the sort key lives in, so an index on (key, id) serves
// both the order and the keyset condition.
const sortKeys: Record<CustomerSort, { expr: SQL; tie: SQL; desc: boolean; cast: string }> = {
  total: { expr: sql`m.total_amount`, tie: sql`m.customer_id`, desc: true, cast: "numeric" },
  count: { expr: sql`m.purchase_count`, tie: sql`m.customer_id`, desc: true, cast: "integer" },
  last: { expr: sql`coalesce(m.last_purchase_at, '-infinity'::timestamptz)`, tie: sql`m.customer_id`, desc: true, cast: "timestamptz" },
  id: { expr: sql`c.external_id`, tie: sql`c.id`, desc: false, cast: "text" },
};

function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function filters(q: CustomerListQuery): SQL {
  const parts: SQL[] = [sql`true`];
  if (q.q) {
    const like = escapeLike(q.q);
    parts.push(sql`(c.external_id = ${q.q} or lower(c.email) like ${like.toLowerCase() + "%"} or c.name ilike ${"%" + like + "%"})`);
  }
  if (q.segment) parts.push(sql`m.cpm_segment = ${q.segment}`);
  if (q.r) parts.push(sql`m.rfm_r = ${q.r}`);
  if (q.f) parts.push(sql`m.rfm_f = ${q.f}`);
  if (q.m) parts.push(sql`m.rfm_m = ${q.m}`);
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
  const rows = await (options.db ?? getDb())
    .select({ ...columns, sort_value: sql<string>`m.sort_value` })
    .from(
      sql`(select m.*, (${key.expr})::text as sort_value
             from customer_metrics m join customers c on c.id = m.customer_id
            where ${filters(q)} ${after}
            order by ${key.expr} ${direction}, ${key.tie} ${direction}
            limit ${limit + 1}) m
          join customers c on c.id = m.customer_id
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
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(q.q ? sql`customer_metrics m join customers c on c.id = m.customer_id` : sql`customer_metrics m`)
    .where(filters(q));
  return row.n;
}

// ---- One customer ------------------------------------------------------------------------------

export async function getCustomer(id: number, db: Db = getDb()) {
  const [customer] = await db
    .select({
      ...columns,
      locale: col(c.locale),
      marketing_consent: col(c.marketingConsent),
      created_at: sql<string>`${qualified(c.createdAt)}::text`,
      second_purchase_at: col(m.secondPurchaseAt),
      as_of: col(m.asOf),
    })
    .from(sql`customers c join customer_metrics m on m.customer_id = c.id ${latestScores}`)
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
} satisfies Record<(typeof exportColumns)[number], unknown>;

/**
 * The export's rows in batches (keyset over the customer id), so a million customers stream with
 * bounded memory on both drivers. Dates are YYYY-MM-DD in the brand's time zone.
 */
export async function* exportCustomerRows(q: CustomerListQuery, db: Db = getDb(), batch = 5000): AsyncGenerator<(string | number | null)[][]> {
  let afterId = 0;
  for (;;) {
    const rows = await db
      .select({
        ...exportFields,
        id: col(c.id),
      })
      .from(sql`customer_metrics m join customers c on c.id = m.customer_id
                cross join (select time_zone as tz from brand_settings where id = 1) s
                ${latestScores}`)
      .where(sql`${filters(q)} and ${c.id} > ${afterId}`)
      .orderBy(sql`${c.id}`)
      .limit(batch);
    if (rows.length === 0) return;
    yield rows.map((r) => exportColumns.map((col) => r[col] ?? null));
    afterId = rows[rows.length - 1].id;
    if (rows.length < batch) return;
  }
}
