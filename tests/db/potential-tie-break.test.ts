// Candidates with equal scores (issue 19 item 4), on PGlite and on PostgreSQL: by customer number unless
// Settings choose the higher expected 90-day value first; the candidate export follows the same order.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "../../db/client.server";
import { float8Array } from "../../db/sql-arrays";
import { defaultLoyaltySettings, type LoyaltySettings } from "~/domain/loyalty";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { scoreResponse } from "~/domain/survey/scoring";
import type { Answers } from "~/domain/survey/types";
import { allCandidates, ensureLoyaltyFresh, rankCandidates } from "~/models/loyalty.server";
import { createSurvey } from "~/models/surveys.server";
import { refreshBehaviour } from "~/services/behaviour.server";
import { seedDemo } from "../../db/seed/demo";
import { useTestDatabase } from "../setup/db";

const L = (text: string) => ({ ja: text, en: text });

async function purchase(customerId: number, daysAgo: number, amount: number, key: string) {
  await getDb().execute(
    sql`insert into purchases (customer_id, purchased_at, amount, dedupe_key)
        values (${customerId}, now() - make_interval(days => ${daysAgo}), ${amount}, md5(${key})::uuid)`,
  );
}

async function newCustomer(externalId: string) {
  const [row] = await queryRows<{ id: number }>(
    sql`insert into customers (external_id, email, marketing_consent) values (${externalId}, ${`${externalId.toLowerCase()}@example.com`}, true) returning id::int as id`,
  );
  return row!.id;
}

/**
 * The demo's customers (histories for the models to fit), and three fans with the same answers and the
 * same purchase days, so the same rank score (the same RFM: they spend most of all, ¥1,000 a day apart;
 * the first created least).
 */
async function seed() {
  await seedDemo(getDb(), { seed: 7, customers: 300, asOf: new Date() });
  const template = loyaltyTemplate();
  const survey = await createSurvey({ layout: "all_on_one", linkDays: 30, reminderDays: null, intro: L(""), thanks: L(""), title: L("Loyalty") }, template.questions, null);
  const fans: number[] = [];
  for (let i = 1; i <= 3; i++) {
    const id = await newCustomer(`TIE${i}`);
    fans.push(id);
    for (const [k, daysAgo] of [400, 250, 120, 30].entries()) await purchase(id, daysAgo, 200_000 + 1000 * i, `tie-${i}-${k}`);
    const answers: Answers = {
      attach1: 5, attach2: 5, pref1: 5, pref2: 5, cont1: 5, cont2: 5, trust1: 5, trust2: 5,
      nps: 10, wallet: "more_than_half", ambassador: "yes", cocreation: "yes", comment: "Always a pleasure.",
    };
    const s = scoreResponse(template.questions, answers);
    await getDb().execute(
      sql`insert into survey_responses (survey_id, channel, customer_id, locale, answers, psych_score, nps_score, nps_category, construct_scores, loyalty_scores, submitted_at)
          values (${survey}, 'import', ${id}, 'en', ${JSON.stringify(answers)}::jsonb, ${s.psychScore}, ${s.npsScore}, ${s.npsCategory},
                  ${JSON.stringify(s.constructScores)}::jsonb, ${float8Array(s.alphaScores)}, now() - interval '3 days')`,
    );
  }
  await refreshBehaviour();
  await ensureLoyaltyFresh();
  return fans;
}

describe("candidates with equal scores", () => {
  useTestDatabase();

  it("come by customer number, or by expected 90-day value when Settings say so", async () => {
    const fans = await seed();
    const byNumber = await rankCandidates("ambassador", defaultLoyaltySettings, { view: "all" });
    const tied = byNumber.rows.filter((r) => fans.includes(r.customer_id));
    expect(tied).toHaveLength(3);
    expect(new Set(tied.map((r) => r.rank_score)).size).toBe(1);
    expect(tied.map((r) => r.customer_id)).toEqual(fans);
    // More spent on the same days: a higher expected value.
    const values = tied.map((r) => r.expected_value_90d!);
    expect(values[0]).toBeLessThan(values[1]);
    expect(values[1]).toBeLessThan(values[2]);

    const byValue: LoyaltySettings = { ...defaultLoyaltySettings, candidates: { ...defaultLoyaltySettings.candidates, tieBreaker: "expected_value" } };
    const ranked = await rankCandidates("ambassador", byValue, { view: "all" });
    expect(ranked.rows.filter((r) => fans.includes(r.customer_id)).map((r) => r.customer_id)).toEqual([...fans].reverse());
    const exported: number[] = [];
    for await (const batch of allCandidates("ambassador", byValue)) exported.push(...batch.map((r) => r.customer_id));
    expect(exported.filter((id) => fans.includes(id))).toEqual([...fans].reverse());
  });
});

describe("a fit whose predictions are not numbers", () => {
  useTestDatabase();

  it("counts as not converged, with its reason, and scores nobody with it", async () => {
    // Thirty customers buying on 1 to 5 days spread evenly over 500 days: the likelihood's best lies on
    // its edge (no difference between customers' rates: r and alpha in the millions), where the
    // expected purchases overflow.
    for (let i = 0; i < 30; i++) {
      const id = await newCustomer(`EVEN${i}`);
      for (let k = 0; k < 1 + (i % 5); k++) await purchase(id, 20 + ((i * 37 + k * 61) % 500), 800 + ((i * 131 + k * 17) % 9000), `even-${i}-${k}`);
    }
    const refreshed = await refreshBehaviour();
    expect(refreshed.potential?.bgnbd).toMatchObject({ converged: false, fitId: null });
    expect(refreshed.potential?.bgnbd.message).toMatch(/not numbers/);
    const [row] = await queryRows<{ n: number; nan: number }>(sql`select count(*)::int as n, count(*) filter (where expected_purchases_90d = 'NaN')::int as nan from customer_potential`);
    expect(row).toEqual({ n: 0, nan: 0 });
  });
});
