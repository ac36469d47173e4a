// Both axes joined (DESIGN §4, issue 16): the loyalty matrix and the two ranked candidate lists, read
// from the customer_loyalty view (one row per respondent) with the brand's current settings. The SQL
// here mirrors app/domain/loyalty.ts expression by expression (same order of operations, so the same
// floating-point results); tests/db/loyalty.test.ts checks every customer against the domain.
import { eq, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, type Db } from "../../db/client.server";
import { ensureSurveyStats } from "./survey-results.server";
import { col, qualified as q } from "../../db/columns";
import { bigintArray, booleanArray, textArray } from "../../db/sql-arrays";
import { brandSettings, candidateMarks, customerLoyalty, customers, loyaltyGrid, loyaltySummary, segmentSummary } from "../../db/schema";
import type { CpmSegment } from "~/domain/cpm";
import {
  defaultLoyaltySettings,
  viewSize,
  type CandidateList,
  type CandidateView,
  type ExclusionReason,
  type LoyaltySettings,
  type Quadrant,
  type QuadrantBorders,
} from "~/domain/loyalty";

export async function getLoyaltySettings(db: Db = getDb()): Promise<LoyaltySettings> {
  const [row] = await db.select({ settings: brandSettings.loyaltySettings }).from(brandSettings).where(eq(brandSettings.id, 1));
  return row?.settings ?? defaultLoyaltySettings;
}

/** Saves the settings (checked by the caller with checkCandidateSettings); nothing to recompute: every read applies them. */
export async function saveLoyaltySettings(settings: LoyaltySettings, db: Db = getDb()) {
  await db
    .insert(brandSettings)
    .values({ id: 1, loyaltySettings: settings })
    .onConflictDoUpdate({ target: brandSettings.id, set: { loyaltySettings: settings, updatedAt: sql`now()` } });
}

const l = alias(customerLoyalty, "l");
const c = alias(customers, "c");
const g = alias(loyaltyGrid, "g");

/**
 * quadrantOf in SQL (null without a score), over the view's row `l` unless given other expressions for
 * the segment and the score (the customer list reads the live latest score).
 */
export function quadrantSql(b: QuadrantBorders, segment: SQL = q(l.cpmSegment), psych: SQL = q(l.psychScore)): SQL<Quadrant | null> {
  const high = sql`coalesce(${segment} = any(${textArray(b.highSegments)}), false)`;
  return sql<Quadrant | null>`case when ${psych} is null then null
    when ${high} then case when ${psych} >= ${b.psychBorder} then 'true_loyal' else 'habitual' end
    else case when ${psych} >= ${b.psychBorder} then 'latent_fan' else 'low' end end`;
}

// ---- The loyalty matrix ------------------------------------------------------------------------

export interface LoyaltyMatrix {
  /** Customers with a loyalty score, per quadrant. */
  quadrants: Record<Quadrant, number>;
  scored: number;
  /** Customers without a loyalty score ("not yet asked"), of all customers with metrics. */
  unscored: number;
  /** Quadrant counts per CPM segment ('none': no purchase yet). */
  bySegment: { segment: CpmSegment | "none"; counts: Record<Quadrant, number> }[];
  /** The binned scatter: x the behaviour score's 13 values (null: no purchase), y the score in bins of 5. */
  bins: { x: number | null; y: number; n: number }[];
}

const emptyCounts = (): Record<Quadrant, number> => ({ true_loyal: 0, habitual: 0, latent_fan: 0, low: 0 });

/**
 * The matrix page's data, from loyalty_grid (respondents counted per segment, behaviour score and whole
 * score at the statistics' refresh: a few thousand rows) and segment_summary (customers per segment,
 * refreshed with the metrics), with the current borders.
 */
export async function getLoyaltyMatrix(settings: LoyaltySettings, db: Db = getDb()): Promise<LoyaltyMatrix> {
  const b = settings.borders;
  const quadrant = quadrantSql(b, q(g.cpmSegment), q(g.psychFloor));
  const [cells, bins, [totals]] = await Promise.all([
    db
      .select({ segment: col(g.cpmSegment), quadrant: sql<Quadrant>`${quadrant}`, n: sql<number>`sum(${q(g.customers)})::int` })
      .from(sql`loyalty_grid g`)
      .groupBy(sql`1, 2`),
    db
      .select({
        x: sql<number | null>`nullif(${q(g.behaviourScore)}, -1)`,
        // 0–4.9 … 95–100 (a score of 100 joins the top bin).
        y: sql<number>`least(${q(g.psychFloor)} / 5 * 5, 95)`,
        n: sql<number>`sum(${q(g.customers)})::int`,
      })
      .from(sql`loyalty_grid g`)
      .groupBy(sql`1, 2`),
    db.select({ customers: sql<number>`coalesce(sum(${segmentSummary.customers}), 0)::int` }).from(segmentSummary),
  ]);
  const quadrants = emptyCounts();
  const segments = new Map<CpmSegment | "none", Record<Quadrant, number>>();
  let scored = 0;
  for (const cell of cells) {
    quadrants[cell.quadrant] += cell.n;
    scored += cell.n;
    const counts = segments.get(cell.segment) ?? emptyCounts();
    counts[cell.quadrant] += cell.n;
    segments.set(cell.segment, counts);
  }
  return {
    quadrants,
    scored,
    unscored: Math.max(0, totals.customers - scored),
    bySegment: [...segments].map(([segment, counts]) => ({ segment, counts })),
    bins,
  };
}

// ---- Candidates --------------------------------------------------------------------------------

export interface CandidateFilters {
  segment?: CpmSegment;
  quadrant?: Quadrant;
  /** Lowest loyalty score shown (on top of the list's own minimum). */
  minScore?: number;
  store?: string;
  channel?: string;
}

const interestPart = (interest: SQL) => sql`case ${interest} when 'yes' then 1.0::float8 when 'maybe' then 0.5::float8 when 'no' then 0.0::float8 else 0.25::float8 end`;
const clamp01 = (x: SQL) => sql`least(1::float8, greatest(0::float8, ${x}))`;
const tenurePart = (years: number) => clamp01(sql`coalesce(${q(l.tenureDays)}, 0)::float8 / 365.25::float8 / ${years}::float8`);
const textPart = (chars: number) => clamp01(sql`${q(l.textChars)}::float8 / ${chars}::float8`);

/** weighted() of the domain: 100 · Σ wᵢ·pᵢ / Σ wᵢ, summed left to right, rounded half up to one decimal. */
function weighted(parts: [number, SQL][]): SQL<number> {
  const total = parts.reduce((s, [w]) => s + w, 0);
  if (total <= 0) return sql<number>`0::float8`;
  const sum = sql.join(
    parts.map(([w, p]) => sql`(${w}::float8 * ${p})`),
    sql` + `,
  );
  return sql<number>`floor((100::float8 * (${sum})) / ${total}::float8 * 10 + 0.5) / 10`;
}

/** The list's verdict in SQL: exclusion (in the domain's order), whether the requirements hold, and the rank score. */
function verdictSql(list: CandidateList, settings: LoyaltySettings) {
  const s = settings.candidates;
  const interest = list === "ambassador" ? l.ambassadorInterest : l.cocreationInterest;
  const member = list === "ambassador" ? sql`pm.customer_id is not null` : sql`false`;
  const exclusion = sql<ExclusionReason | null>`case
    when not ${reachableSql} then 'no_consent'
    when ${member} then 'member'
    when ${q(l.npsCategory)} = 'detractor' then 'detractor'
    when ${interest} = 'no' then 'declined'
    when mk.mark = 'dismissed' then 'dismissed'
  end`;
  // The same as "no exclusion", written as plain conditions the planner can apply while scanning
  // (a tenth faster at 38,000 rows than testing the CASE for null).
  const included = sql`${reachableSql} and not ${member} and ${q(l.npsCategory)} is distinct from 'detractor'
    and ${interest} is distinct from 'no' and mk.mark is distinct from 'dismissed'`;
  if (list === "ambassador") {
    const w = s.ambassador;
    return {
      exclusion,
      included,
      // The settings-free part is customer_loyalty_ambassador's predicate, written alike so the planner uses it.
      qualifies: sql`(${q(l.psychScore)} >= ${s.minScore} and ${q(l.npsCategory)} = 'promoter' and ${q(l.npsScore)} is not null
        and ${q(l.purchaseCount)} >= 2 and ${q(l.cpmSegment)} like '%\\_active')`,
      score: weighted([
        [w.psych, sql`${q(l.psychScore)}::float8 / 100::float8`],
        [w.nps, sql`${q(l.npsScore)}::float8 / 10::float8`],
        [w.behaviour, sql`coalesce(${q(l.behaviourScore)}, 0::float8) / 100::float8`],
        [w.tenure, tenurePart(s.tenureYears)],
        [w.interest, interestPart(sql`${interest}`)],
      ]),
    };
  }
  const w = s.cocreation;
  return {
    exclusion,
    included,
    qualifies: sql`(${q(l.psychScore)} >= ${s.minScore}
      and (${interest} in ('yes', 'maybe') or ${tenurePart(s.tenureYears)} >= 1 or ${textPart(s.textChars)} >= 1))`,
    score: weighted([
      [w.psych, sql`${q(l.psychScore)}::float8 / 100::float8`],
      [w.interest, interestPart(sql`${interest}`)],
      [w.tenure, tenurePart(s.tenureYears)],
      [w.text, textPart(s.textChars)],
    ]),
  };
}

function filterSql(filters: CandidateFilters, settings: LoyaltySettings): SQL {
  const parts: SQL[] = [sql`${q(l.psychScore)} is not null`];
  if (filters.segment) parts.push(sql`${q(l.cpmSegment)} = ${filters.segment}`);
  if (filters.quadrant) parts.push(sql`${quadrantSql(settings.borders)} = ${filters.quadrant}`);
  if (filters.minScore !== undefined) parts.push(sql`${q(l.psychScore)} >= ${filters.minScore}`);
  if (filters.store) parts.push(sql`exists (select 1 from purchases p where p.customer_id = ${q(l.customerId)} and p.store = ${filters.store})`);
  if (filters.channel) parts.push(sql`exists (select 1 from purchases p where p.customer_id = ${q(l.customerId)} and p.channel = ${filters.channel})`);
  return sql.join(parts, sql` and `);
}

/**
 * Whether we may write to the customer now: as of the view's refresh, corrected by the customers whose
 * consent, unsubscribe or email changed since (customers.contact_changed_at, stamped by a trigger; a
 * partial index finds the few). The ten minutes cover a change whose transaction began before the
 * refresh and committed after it. An unsubscribe thus leaves both lists at once, and the ranking reads
 * no row of customers but those few and the page's own rows.
 */
const reachableSql = sql`coalesce(ch.reachable, ${q(l.reachable)})`;

/** The customers whose contact changed since the view's refresh, with whether we may write to them now. */
async function changedContacts(db: Db): Promise<SQL> {
  const rows = await db
    .select({ id: customers.id, reachable: sql<boolean>`${customers.marketingConsent} and ${customers.unsubscribedAt} is null and ${customers.email} is not null` })
    .from(customers)
    .where(sql`${customers.contactChangedAt} > (select lc.computed_at from customer_loyalty lc limit 1) - interval '10 minutes'`);
  // Handed back as arrays: the planner then knows the join's inner side is small, whatever it
  // estimates for the range on contact_changed_at (a third of all customers, on a parameter).
  return sql`(select * from unnest(${bigintArray(rows.map((r) => r.id))}, ${booleanArray(rows.map((r) => r.reachable))}) as u(id, reachable))`;
}

/** What the ranking reads: the view's rows, the live contact corrections and the staff's marks. */
const ranking = (list: CandidateList, changed: SQL) =>
  sql`customer_loyalty l left join ${changed} ch on ch.id = l.customer_id
      left join candidate_marks mk on mk.list = ${list} and mk.customer_id = l.customer_id
      left join customer_potential pv on pv.customer_id = l.customer_id
      ${list === "ambassador" ? membersJoin : sql``}`;

/**
 * Between equal rank scores: the higher expected 90-day value first when the settings say so (issue 19),
 * then the customer id. `value` is the expected value's expression where the order is applied.
 */
const tieBreak = (settings: LoyaltySettings, value: SQL) =>
  settings.candidates.tieBreaker === "expected_value" ? sql`, ${value} desc nulls last` : sql``;

/** Programme members (any status) and holders of an open invitation: off the ambassador list. */
const membersJoin = sql`left join (select pmm.customer_id from programme_members pmm
                                   union select pi.customer_id from programme_invitations pi where pi.status = 'invited') pm
                          on pm.customer_id = l.customer_id`;

/** The same with each row's customer, for the rows shown. */
const from = (list: CandidateList, changed: SQL) => sql`${ranking(list, changed)} join customers c on c.id = l.customer_id`;

/** The fields a candidate row shows and the rules read (CandidateInput), typed from the schema. */
function rowFields(list: CandidateList, settings: LoyaltySettings) {
  const v = verdictSql(list, settings);
  return {
    customer_id: col(l.customerId),
    external_id: col(c.externalId),
    name: col(c.name),
    email: col(c.email),
    psych_score: col(l.psychScore),
    nps_score: col(l.npsScore),
    nps_category: col(l.npsCategory),
    ambassador_interest: col(l.ambassadorInterest),
    cocreation_interest: col(l.cocreationInterest),
    text_chars: col(l.textChars),
    cpm_segment: col(l.cpmSegment),
    purchase_count: col(l.purchaseCount),
    total_amount: col(l.totalAmount),
    tenure_days: col(l.tenureDays),
    rfm_r: col(l.rfmR),
    rfm_f: col(l.rfmF),
    rfm_m: col(l.rfmM),
    quadrant: quadrantSql(settings.borders),
    mark: sql<"shortlisted" | "dismissed" | null>`mk.mark`,
    mark_note: sql<string | null>`mk.note`,
    exclusion: v.exclusion,
    rank_score: v.score,
    expected_value_90d: sql<number | null>`pv.expected_value_90d`,
  };
}

export type CandidateRow = Awaited<ReturnType<typeof rankCandidates>>["rows"][number];

/**
 * One ranked list: the candidates (no exclusion, requirements met), by rank score, then customer id;
 * `view` takes the top 5 % or 10 % of the filtered list (rounded up) or all, paged by `offset`/`limit`.
 */
export async function rankCandidates(
  list: CandidateList,
  settings: LoyaltySettings,
  options: { view?: CandidateView; filters?: CandidateFilters; limit?: number; offset?: number; db?: Db } = {},
) {
  const db = options.db ?? getDb();
  const v = verdictSql(list, settings);
  const changed = await changedContacts(db);
  const where = sql`${filterSql(options.filters ?? {}, settings)} and ${v.included} and ${v.qualifies}`;
  const limit = options.limit ?? 50;
  const offset = options.offset ?? 0;
  // The page's rows are ranked on the view alone; only they are joined to their customer.
  const top = sql`(select l.customer_id as id, ${v.score} as rank_score, pv.expected_value_90d as value, (count(*) over ())::int as total
                     from ${ranking(list, changed)} where ${where}
                     order by 2 desc ${tieBreak(settings, sql`3`)}, 1 limit ${limit + offset}) r`;
  const ranked = await db
    .select({ ...rowFields(list, settings), total: sql<number>`r.total` })
    .from(sql`${top} join ${from(list, changed)} on l.customer_id = r.id`)
    .orderBy(sql`r.rank_score desc ${tieBreak(settings, sql`r.value`)}, r.id`);
  const total = ranked[0]?.total ?? 0;
  const size = viewSize(options.view ?? "top5", total);
  const rows = ranked.slice(offset, Math.min(offset + limit, size)).map(({ total: _, ...row }, i) => ({ ...row, rank: offset + i + 1 }));
  return { total, size, rows };
}

/** Every candidate of a list in rank order, in batches (exports): the same rule and order as rankCandidates. */
export async function* allCandidates(list: CandidateList, settings: LoyaltySettings, options: { filters?: CandidateFilters; view?: CandidateView; db?: Db; batch?: number } = {}) {
  const db = options.db ?? getDb();
  const batch = options.batch ?? 5000;
  const v = verdictSql(list, settings);
  const changed = await changedContacts(db);
  const where = sql`${filterSql(options.filters ?? {}, settings)} and ${v.included} and ${v.qualifies}`;
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(ranking(list, changed)).where(where);
  const size = viewSize(options.view ?? "all", total);
  for (let offset = 0; offset < size; offset += batch) {
    const rows = await db
      .select(rowFields(list, settings))
      .from(from(list, changed))
      .where(where)
      .orderBy(sql`${v.score} desc ${tieBreak(settings, sql`pv.expected_value_90d`)}, ${q(l.customerId)}`)
      .limit(Math.min(batch, size - offset))
      .offset(offset);
    yield rows.map((row, i) => ({ ...row, rank: offset + i + 1 }));
    if (rows.length < batch) return;
  }
}

/** Customers with a score of at least the list's minimum whom an exclusion keeps out, with the reason; counts per reason. */
export async function excludedCandidates(list: CandidateList, settings: LoyaltySettings, options: { reason?: ExclusionReason; limit?: number; db?: Db } = {}) {
  const db = options.db ?? getDb();
  const v = verdictSql(list, settings);
  const changed = await changedContacts(db);
  const base = sql`${q(l.psychScore)} >= ${settings.candidates.minScore} and ${v.exclusion} is not null`;
  const [counts, rows] = await Promise.all([
    db.select({ reason: sql<ExclusionReason>`${v.exclusion}`, n: sql<number>`count(*)::int` }).from(ranking(list, changed)).where(base).groupBy(sql`1`),
    db
      .select(rowFields(list, settings))
      .from(from(list, changed))
      .where(options.reason ? sql`${base} and ${v.exclusion} = ${options.reason}` : base)
      .orderBy(sql`${q(l.psychScore)} desc, ${q(l.customerId)}`)
      .limit(options.limit ?? 50),
  ]);
  return { counts: Object.fromEntries(counts.map((r) => [r.reason, r.n])) as Partial<Record<ExclusionReason, number>>, rows };
}

/** Whether anybody has a loyalty score yet (the candidate page says to send a survey when not). */
export async function hasRespondents(db: Db = getDb()) {
  const rows = await db.select({ one: sql<number>`1` }).from(customerLoyalty).where(sql`${customerLoyalty.psychScore} is not null`).limit(1);
  return rows.length > 0;
}

/** How many candidates each list has now (the dashboard's tile). */
export async function candidateCounts(settings: LoyaltySettings, db: Db = getDb()): Promise<Record<CandidateList, number>> {
  const changed = await changedContacts(db);
  const [a, b] = await Promise.all(
    (["ambassador", "cocreation"] as const).map(async (list) => {
      const v = verdictSql(list, settings);
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(ranking(list, changed))
        .where(sql`${q(l.psychScore)} is not null and ${v.included} and ${v.qualifies}`);
      return row.n;
    }),
  );
  return { ambassador: a, cocreation: b };
}

/** The shortlist of a list: shortlisted customers still reachable (an unsubscribe takes them off at once). */
export async function shortlist(list: CandidateList, settings: LoyaltySettings, db: Db = getDb()) {
  const changed = await changedContacts(db);
  return db
    .select({ ...rowFields(list, settings), marked_at: sql<string>`mk.marked_at::text` })
    .from(from(list, changed))
    .where(sql`mk.mark = 'shortlisted' and ${reachableSql}`)
    .orderBy(sql`mk.marked_at desc, ${q(l.customerId)}`);
}

/**
 * Marks customers on a list (shortlisted, or dismissed with a note); marking again replaces the mark.
 * The dashboard's candidate counts are recounted on its next view (its summary is deleted).
 */
export async function markCandidates(
  list: CandidateList,
  customerIds: number[],
  mark: "shortlisted" | "dismissed",
  options: { note?: string | null; staffUserId?: number | null; db?: Db } = {},
) {
  if (customerIds.length === 0) return 0;
  const db = options.db ?? getDb();
  const rows = await db
    .insert(candidateMarks)
    .values(customerIds.map((customerId) => ({ list, customerId, mark, note: options.note ?? null, staffUserId: options.staffUserId ?? null })))
    .onConflictDoUpdate({
      target: [candidateMarks.list, candidateMarks.customerId],
      set: { mark, note: options.note ?? null, staffUserId: options.staffUserId ?? null, markedAt: sql`now()` },
    })
    .returning({ customerId: candidateMarks.customerId });
  await db.delete(loyaltySummary);
  return rows.length;
}

/** Takes the mark off (restores a dismissed candidate, or takes one off the shortlist). */
export async function unmarkCandidates(list: CandidateList, customerIds: number[], db: Db = getDb()) {
  if (customerIds.length === 0) return 0;
  const rows = await db
    .delete(candidateMarks)
    .where(sql`${candidateMarks.list} = ${list} and ${candidateMarks.customerId} = any(${bigintArray(customerIds)})`)
    .returning({ customerId: candidateMarks.customerId });
  await db.delete(loyaltySummary);
  return rows.length;
}

/** The customer ids of the given external ids that have a row in the view (to mark from a page's form). */
export async function customerIdsOf(externalIds: string[], db: Db = getDb()) {
  if (externalIds.length === 0) return [];
  const rows = await db
    .select({ id: customers.id })
    .from(customers)
    .where(sql`${customers.externalId} = any(${textArray(externalIds)})`);
  return rows.map((r) => r.id);
}

/**
 * Recomputes the customer_loyalty view (CONCURRENTLY: the pages keep reading the last one meanwhile).
 * Run with the survey statistics, whenever responses or the behaviour metrics changed.
 */
export async function refreshCustomerLoyalty(db: Db = getDb()) {
  await db.execute(sql`refresh materialized view concurrently customer_loyalty`);
  await db.execute(sql`refresh materialized view concurrently loyalty_grid`);
}

/**
 * Brings customer_loyalty up to date before a page reads it: it is refreshed with the survey statistics
 * (when responses or the behaviour metrics changed since their last refresh).
 */
export async function ensureLoyaltyFresh(db: Db = getDb()) {
  await ensureSurveyStats(true, db);
}
