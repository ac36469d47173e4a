// Customers with their behaviour metrics: the list (search, filters, keyset pagination), one
// customer's page, and the CSV export. Every query is set-based and bounded.
import { sql, type SQL } from "drizzle-orm";
import { getDb, queryRows, type Db } from "../../db/client.server";
import type { CpmSegment } from "~/domain/cpm";
import type { NpsCategory } from "~/domain/survey/types";
import type { CustomerListQuery, CustomerSort } from "~/schemas/customers";

export interface CustomerRow {
  id: number;
  external_id: string;
  email: string | null;
  name: string | null;
  purchase_count: number;
  total_amount: string;
  first_purchase_at: string | null;
  last_purchase_at: string | null;
  tenure_days: number | null;
  lapse_days: number | null;
  rfm_r: number | null;
  rfm_f: number | null;
  rfm_m: number | null;
  cpm_segment: CpmSegment | null;
  /** The latest loyalty score and the latest NPS answer, each from its own latest response (latestScores). */
  psych_score: number | null;
  nps_score: number | null;
  nps_category: NpsCategory | null;
}

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

const columns = sql`c.id::int as id, c.external_id, c.email, c.name, m.purchase_count, m.total_amount::text as total_amount,
  m.first_purchase_at, m.last_purchase_at, m.tenure_days, m.lapse_days, m.rfm_r, m.rfm_f, m.rfm_m, m.cpm_segment,
  ls.psych_score::float8 as psych_score, ln.nps_score, ln.nps_category`;

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
  const rows = await queryRows<CustomerRow & { sort_value: string }>(
    sql`select ${columns}, sort_value
          from (select m.*, (${key.expr})::text as sort_value
                  from customer_metrics m join customers c on c.id = m.customer_id
                 where ${filters(q)} ${after}
                 order by ${key.expr} ${direction}, ${key.tie} ${direction}
                 limit ${limit + 1}) m
          join customers c on c.id = m.customer_id
          ${latestScores}
         order by ${key.expr} ${direction}, ${key.tie} ${direction}`,
    options.db,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    customers: page.map(({ sort_value: _, ...row }) => row),
    next: rows.length > limit && last ? encodeCursor(last.sort_value, last.id) : null,
  };
}

export async function countCustomers(q: CustomerListQuery, db: Db = getDb()) {
  const [row] = await queryRows<{ n: number }>(
    q.q
      ? sql`select count(*)::int as n from customer_metrics m join customers c on c.id = m.customer_id where ${filters(q)}`
      : sql`select count(*)::int as n from customer_metrics m where ${filters(q)}`,
    db,
  );
  return row.n;
}

// ---- One customer ------------------------------------------------------------------------------

export async function getCustomer(id: number, db: Db = getDb()) {
  const [customer] = await queryRows<CustomerRow & { locale: string | null; marketing_consent: boolean; created_at: string; second_purchase_at: string | null; as_of: string }>(
    sql`select ${columns}, c.locale, c.marketing_consent, c.created_at, m.second_purchase_at, m.as_of::text as as_of
          from customers c join customer_metrics m on m.customer_id = c.id
          ${latestScores}
         where c.id = ${id}`,
    db,
  );
  if (!customer) return null;
  const purchases = await queryRows<{ key: string; purchased_at: string; amount: string; order_id: string | null; channel: string | null; store: string | null }>(
    sql`select dedupe_key::text as key, purchased_at, amount::text as amount, order_id, channel, store
          from purchases where customer_id = ${id}
         order by purchased_at desc, order_id desc nulls last, dedupe_key
         limit 1000`,
    db,
  );
  return { customer, purchases };
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

/**
 * The export's rows in batches (keyset over the customer id), so a million customers stream with
 * bounded memory on both drivers. Dates are YYYY-MM-DD in the brand's time zone.
 */
export async function* exportCustomerRows(q: CustomerListQuery, db: Db = getDb(), batch = 5000): AsyncGenerator<(string | number | null)[][]> {
  let afterId = 0;
  for (;;) {
    const rows = await queryRows<Record<string, string | number | null> & { id: number }>(
      sql`with s as (select time_zone as tz from brand_settings where id = 1)
          select c.id::int as id, c.external_id as customer_id, c.email, c.name, m.purchase_count, m.total_amount::text as total_amount,
                 to_char(m.first_purchase_at at time zone s.tz, 'YYYY-MM-DD') as first_purchase_at,
                 to_char(m.last_purchase_at at time zone s.tz, 'YYYY-MM-DD') as last_purchase_at,
                 m.tenure_days, m.lapse_days, m.rfm_r, m.rfm_f, m.rfm_m, m.cpm_segment,
                 ls.psych_score::text as psych_score, ln.nps_score, ln.nps_category
            from customer_metrics m join customers c on c.id = m.customer_id cross join s
            ${latestScores}
           where ${filters(q)} and c.id > ${afterId}
           order by c.id
           limit ${batch}`,
      db,
    );
    if (rows.length === 0) return;
    yield rows.map((r) => exportColumns.map((col) => r[col] ?? null));
    afterId = rows[rows.length - 1].id;
    if (rows.length < batch) return;
  }
}
