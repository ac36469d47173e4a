// Both axes joined, on a real database (PGlite, and PostgreSQL with TEST_DATABASE_URL): the
// customer_loyalty view and the SQL of the matrix and the candidate lists agree with the domain's rules
// customer by customer; an unsubscribed or dismissed customer drops out at once (issue 16).
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "../../db/client.server";
import { cpmSegments, type CpmSegment } from "~/domain/cpm";
import {
  defaultLoyaltySettings,
  interestOf,
  quadrantOf,
  verdict,
  type CandidateInput,
  type CandidateList,
  type Interest,
  type LoyaltySettings,
} from "~/domain/loyalty";
import { latestFigures } from "~/domain/survey/latest";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { scoreResponse } from "~/domain/survey/scoring";
import type { Answers, Question } from "~/domain/survey/types";
import {
  excludedCandidates,
  getLoyaltyMatrix,
  markCandidates,
  rankCandidates,
  refreshCustomerLoyalty,
  shortlist,
  unmarkCandidates,
} from "~/models/loyalty.server";
import { refreshMetrics } from "~/models/metrics.server";
import { createSurvey } from "~/models/surveys.server";
import { float8Array } from "../../db/sql-arrays";
import { useTestDatabase } from "../setup/db";

const L = (text: string) => ({ ja: text, en: text });
const surveySettings = { layout: "all_on_one" as const, linkDays: 30, reminderDays: null, intro: L(""), thanks: L("") };

interface Recorded {
  id: number;
  surveyId: number;
  submittedAt: string;
  answers: Answers;
  questions: Question[];
  psychScore: number | null;
  npsScore: number | null;
  npsCategory: string | null;
}

async function record(surveyId: number, questions: Question[], customerId: number, answers: Answers, at: string): Promise<Recorded> {
  const s = scoreResponse(questions, answers);
  const [row] = await queryRows<{ id: number }>(
    sql`insert into survey_responses (survey_id, channel, customer_id, locale, answers, psych_score, nps_score, nps_category, construct_scores, loyalty_scores, submitted_at)
        values (${surveyId}, 'import', ${customerId}, 'ja', ${JSON.stringify(answers)}::jsonb, ${s.psychScore}, ${s.npsScore},
                ${s.npsCategory}, ${JSON.stringify(s.constructScores)}::jsonb, ${float8Array(s.alphaScores)}, ${at}::timestamptz)
        returning id::int as id`,
  );
  return { id: row!.id, surveyId, submittedAt: new Date(at).toISOString(), answers, questions, psychScore: s.psychScore, npsScore: s.npsScore, npsCategory: s.npsCategory };
}

async function customer(externalId: string, purchaseDays: number[], amount: number, consent = true) {
  const [row] = await queryRows<{ id: number }>(
    sql`insert into customers (external_id, email, name, marketing_consent) values (${externalId}, ${`${externalId}@example.com`}, ${`Name ${externalId}`}, ${consent}) returning id::int as id`,
  );
  for (const day of purchaseDays) {
    const at = new Date(Date.UTC(2023, 0, 1) + day * 86_400_000).toISOString();
    await getDb().execute(
      sql`insert into purchases (customer_id, purchased_at, amount, store, channel, dedupe_key) values (${row!.id}, ${at}::timestamptz, ${amount}, ${day % 2 ? "Shibuya" : "Umeda"}, 'store', md5(${externalId + at})::uuid)`,
    );
  }
  return row!.id;
}

/** The domain's reading of one customer's answers: the latest interest answer per construct, and their open text. */
function surveyFigures(responses: Recorded[]) {
  const newestFirst = [...responses].sort((a, b) => Date.parse(b.submittedAt) - Date.parse(a.submittedAt) || b.id - a.id);
  const interest = (construct: string): Interest | null => {
    for (const r of newestFirst) {
      for (const q of r.questions.filter((q) => q.construct === construct)) {
        if (r.answers[q.key] === undefined) continue;
        const v = interestOf(q.type, r.answers[q.key], q.points);
        if (v) return v;
      }
    }
    return null;
  };
  let textChars = 0;
  for (const r of responses) {
    for (const q of r.questions) {
      const a = r.answers[q.key];
      if ((q.type === "short_text" || q.type === "long_text") && typeof a === "string") textChars += a.trim().length;
    }
  }
  return { ambassadorInterest: interest("ambassador_interest"), cocreationInterest: interest("cocreation_interest"), textChars };
}

/** A deterministic mix: 90 customers, two surveys (the loyalty template and an NPS pulse). */
async function seedMix() {
  const template = loyaltyTemplate();
  const loyalty = await createSurvey({ ...surveySettings, title: L("Loyalty") }, template.questions, null);
  const pulseQuestions: Question[] = [
    { key: "nps", type: "nps", label: L("Recommend?"), required: true, construct: "recommend" },
    // A scale item can carry an interest construct too: read by its position in thirds.
    { key: "share", type: "likert", label: L("Share?"), required: false, points: 7, construct: "ambassador_interest" },
  ];
  const pulse = await createSurvey({ ...surveySettings, title: L("Pulse") }, pulseQuestions, null);
  const responses = new Map<number, Recorded[]>();
  const ids: number[] = [];
  const willing = ["yes", "maybe", "no"] as const;
  for (let i = 0; i < 90; i++) {
    // Every third customer is a fan: high scores, a promoter, buying until recently.
    const fan = i % 3 === 0;
    const visits = 1 + (i % 6);
    const days = Array.from({ length: visits }, (_, k) => 30 + ((i * 37 + k * 211) % 900));
    if (fan) days.push(1000 + (i % 50));
    const id = await customer(`L${String(i).padStart(3, "0")}`, i % 11 === 10 ? [] : days, 2000 + (i % 9) * 3000, i % 13 !== 0);
    ids.push(id);
    const list: Recorded[] = [];
    if (i % 10 !== 9) {
      const v = (k: number) => (fan ? 4 + ((i + k) % 2) : 1 + ((i * 3 + k * (i % 4)) % 5));
      const answers: Answers = {
        attach1: v(1), attach2: v(2), pref1: v(3), pref2: v(4), cont1: v(5), cont2: v(1), trust1: v(2), trust2: v(3),
        nps: fan ? 9 + (i % 2) : (i * 7) % 11,
        wallet: "more_than_half",
      };
      if (i % 4 !== 3) answers.ambassador = willing[i % 3]!;
      if (i % 5 !== 4) answers.cocreation = willing[(i + 1) % 3]!;
      if (i % 3 === 0) answers.comment = "とても気に入っています。".repeat(1 + (i % 25));
      list.push(await record(loyalty, template.questions, id, answers, `2025-0${1 + (i % 8)}-15T10:00:00Z`));
    }
    if (i % 7 === 0) {
      const answers: Answers = { nps: (i * 5) % 11 };
      if (i % 2 === 0) answers.share = 1 + (i % 7);
      list.push(await record(pulse, pulseQuestions, id, answers, `2025-10-0${1 + (i % 9)}T10:00:00Z`));
    }
    responses.set(id, list);
  }
  await refreshMetrics({ asOf: "2025-12-01" });
  return { ids, responses };
}

interface ViewRow {
  customer_id: number;
  cpm_segment: CpmSegment | null;
  purchase_count: number;
  tenure_days: number | null;
  rfm_r: number | null;
  rfm_f: number | null;
  rfm_m: number | null;
  marketing_consent: boolean;
  unsubscribed: boolean;
  member: boolean;
}

/** The domain's inputs for every customer with responses: survey figures from our own records, behaviour from the metrics. */
async function domainInputs(responses: Map<number, Recorded[]>, dismissed: Set<number> = new Set()) {
  const metrics = await queryRows<ViewRow>(
    sql`select c.id::int as customer_id, m.cpm_segment, m.purchase_count, m.tenure_days, m.rfm_r, m.rfm_f, m.rfm_m,
               c.marketing_consent, c.unsubscribed_at is not null as unsubscribed,
               exists (select 1 from programme_members pm where pm.customer_id = c.id)
                 or exists (select 1 from programme_invitations pi where pi.customer_id = c.id and pi.status = 'invited') as member
          from customers c join customer_metrics m on m.customer_id = c.id`,
  );
  const inputs = new Map<number, CandidateInput>();
  for (const m of metrics) {
    const list = responses.get(m.customer_id) ?? [];
    if (list.length === 0) continue;
    const latest = latestFigures(list);
    inputs.set(m.customer_id, {
      segment: m.cpm_segment,
      purchaseCount: m.purchase_count,
      tenureDays: m.tenure_days,
      rfmR: m.rfm_r,
      rfmF: m.rfm_f,
      rfmM: m.rfm_m,
      psychScore: latest.loyalty?.psychScore ?? null,
      npsScore: latest.nps?.npsScore ?? null,
      npsCategory: latest.nps?.npsCategory ?? null,
      ...surveyFigures(list),
      contactable: m.marketing_consent && !m.unsubscribed,
      member: m.member,
      dismissed: dismissed.has(m.customer_id),
    });
  }
  return inputs;
}

function expectedList(list: CandidateList, inputs: Map<number, CandidateInput>, settings: LoyaltySettings) {
  const ranked: { id: number; score: number }[] = [];
  const excluded: Record<string, number> = {};
  for (const [id, input] of inputs) {
    const v = verdict(list, input, settings.candidates);
    if (v.status === "candidate") ranked.push({ id, score: v.score });
    if (v.status === "excluded" && input.psychScore! >= settings.candidates.minScore) excluded[v.reason] = (excluded[v.reason] ?? 0) + 1;
  }
  ranked.sort((a, b) => b.score - a.score || a.id - b.id);
  return { ranked, excluded };
}

describe("the loyalty matrix and the candidate lists", () => {
  useTestDatabase();

  it("agree with the domain's rules for every customer, with default and with changed settings", async () => {
    const { responses } = await seedMix();
    await refreshCustomerLoyalty();
    const inputs = await domainInputs(responses);
    // The view's survey figures are the domain's.
    const view = await queryRows<{ customer_id: number; psych_score: number | null; ambassador_interest: string | null; cocreation_interest: string | null; text_chars: number }>(
      sql`select customer_id::int as customer_id, psych_score::float8 as psych_score, ambassador_interest, cocreation_interest, text_chars from customer_loyalty order by customer_id`,
    );
    expect(view.length).toBe(inputs.size);
    for (const row of view) {
      const input = inputs.get(row.customer_id)!;
      expect({ id: row.customer_id, psych: row.psych_score, a: row.ambassador_interest, c: row.cocreation_interest, t: row.text_chars }).toEqual({
        id: row.customer_id,
        psych: input.psychScore,
        a: input.ambassadorInterest,
        c: input.cocreationInterest,
        t: input.textChars,
      });
    }
    // The mix reaches every branch the rules have.
    const counts = (list: CandidateList) => [...inputs.values()].map((i) => verdict(list, i, defaultLoyaltySettings.candidates).status);
    expect(new Set(counts("ambassador"))).toEqual(new Set(["candidate", "excluded", "not_candidate"]));
    expect(new Set(counts("cocreation"))).toEqual(new Set(["candidate", "excluded", "not_candidate"]));

    const changed: LoyaltySettings = {
      borders: { highSegments: ["loyal_active", "loyal_lapsed", "steady_active"], psychBorder: 55 },
      candidates: {
        minScore: 50,
        tenureYears: 1.5,
        textChars: 60,
        ambassador: { psych: 1, nps: 0, behaviour: 3, tenure: 2, interest: 1 },
        cocreation: { psych: 2, interest: 1, tenure: 0, text: 4 },
      },
    };
    for (const settings of [defaultLoyaltySettings, changed]) {
      const matrix = await getLoyaltyMatrix(settings);
      const expectedQuadrants = { true_loyal: 0, habitual: 0, latent_fan: 0, low: 0 };
      for (const input of inputs.values()) {
        const q = quadrantOf(input.segment, input.psychScore, settings.borders);
        if (q) expectedQuadrants[q]++;
      }
      expect(matrix.quadrants).toEqual(expectedQuadrants);
      expect(matrix.bins.reduce((s, b) => s + b.n, 0)).toBe(matrix.scored);
      expect(matrix.unscored).toBe(90 - matrix.scored);
      for (const row of matrix.bySegment) expect([...cpmSegments, "none"]).toContain(row.segment);

      for (const list of ["ambassador", "cocreation"] as const) {
        const expected = expectedList(list, inputs, settings);
        const actual = await rankCandidates(list, settings, { view: "all", limit: 1000 });
        expect(actual.total).toBe(expected.ranked.length);
        expect(actual.rows.map((r) => ({ id: r.customer_id, score: r.rank_score }))).toEqual(expected.ranked);
        expect(actual.rows.map((r) => r.rank)).toEqual(expected.ranked.map((_, i) => i + 1));
        const excluded = await excludedCandidates(list, settings);
        expect(excluded.counts).toEqual(expected.excluded);
      }
    }
    expect((await rankCandidates("ambassador", defaultLoyaltySettings, { view: "all" })).total).toBeGreaterThan(0);
  });

  it("drops an unsubscribed or dismissed customer from both lists at once, and a restored one comes back", async () => {
    const { responses } = await seedMix();
    await refreshCustomerLoyalty();
    const before = await rankCandidates("ambassador", defaultLoyaltySettings, { view: "all", limit: 1000 });
    const cocreationBefore = await rankCandidates("cocreation", defaultLoyaltySettings, { view: "all", limit: 1000 });
    const [first, second] = before.rows;
    expect(first && second).toBeTruthy();

    // Unsubscribing is read live: no refresh of the view in between.
    await getDb().execute(sql`update customers set unsubscribed_at = now() where id = ${first!.customer_id}`);
    await markCandidates("ambassador", [first!.customer_id], "shortlisted");
    const after = await rankCandidates("ambassador", defaultLoyaltySettings, { view: "all", limit: 1000 });
    expect(after.rows.map((r) => r.customer_id)).not.toContain(first!.customer_id);
    expect(after.total).toBe(before.total - 1);
    expect((await rankCandidates("cocreation", defaultLoyaltySettings, { view: "all", limit: 1000 })).rows.map((r) => r.customer_id)).not.toContain(first!.customer_id);
    expect((await shortlist("ambassador", defaultLoyaltySettings)).map((r) => r.customer_id)).not.toContain(first!.customer_id);
    expect((await excludedCandidates("ambassador", defaultLoyaltySettings, { reason: "no_consent" })).rows.map((r) => r.customer_id)).toContain(first!.customer_id);

    // Dismissed from one list with a note: out of that list only, listed with the reason, until restored.
    await markCandidates("ambassador", [second!.customer_id], "dismissed", { note: "works for a competitor" });
    await markCandidates("ambassador", [second!.customer_id], "dismissed", { note: "works for a competitor" });
    const dismissed = await rankCandidates("ambassador", defaultLoyaltySettings, { view: "all", limit: 1000 });
    expect(dismissed.rows.map((r) => r.customer_id)).not.toContain(second!.customer_id);
    const listed = await excludedCandidates("ambassador", defaultLoyaltySettings, { reason: "dismissed" });
    expect(listed.rows).toEqual([expect.objectContaining({ customer_id: second!.customer_id, exclusion: "dismissed", mark_note: "works for a competitor" })]);
    const inCocreation = cocreationBefore.rows.some((r) => r.customer_id === second!.customer_id);
    expect((await rankCandidates("cocreation", defaultLoyaltySettings, { view: "all", limit: 1000 })).rows.some((r) => r.customer_id === second!.customer_id)).toBe(inCocreation);
    await unmarkCandidates("ambassador", [second!.customer_id]);
    // Consent that comes back is read live too (the list corrects the view's refresh-time reachability).
    await getDb().execute(sql`update customers set unsubscribed_at = null where id = ${first!.customer_id}`);
    const restored = await rankCandidates("ambassador", defaultLoyaltySettings, { view: "all", limit: 1000 });
    expect(restored.rows.map((r) => r.customer_id)).toContain(second!.customer_id);
    expect(restored.rows.map((r) => r.customer_id)).toContain(first!.customer_id);
    // An update that leaves consent, unsubscribe and email as they were does not stamp the customer.
    await getDb().execute(sql`update customers set contact_changed_at = null`);
    await getDb().execute(sql`update customers set marketing_consent = marketing_consent, name = coalesce(name, '') || ''`);
    expect((await queryRows<{ n: number }>(sql`select count(*)::int as n from customers where contact_changed_at is not null`))[0]!.n).toBe(0);

    // A member (any status) or someone with an open invitation leaves the ambassador list, listed as
    // such, and stays a co-creation partner; a declined invitation does not keep anyone off.
    const [third, fourth, fifth] = restored.rows.filter((r) => r.customer_id !== first!.customer_id && r.customer_id !== second!.customer_id);
    await getDb().execute(sql`insert into programme_members (customer_id, display_name, contact_consent, status, referral_code)
                              values (${third!.customer_id}, 'Hanako', true, 'alumni', 'TESTCODE1')`);
    await getDb().execute(sql`insert into programme_invitations (customer_id, token_hash, status, locale, expires_at)
                              values (${fourth!.customer_id}, 'h1', 'invited', 'ja', now() + interval '7 days'),
                                     (${fifth!.customer_id}, 'h2', 'declined', 'ja', now() + interval '7 days')`);
    const programme = (await rankCandidates("ambassador", defaultLoyaltySettings, { view: "all", limit: 1000 })).rows.map((r) => r.customer_id);
    expect(programme).not.toContain(third!.customer_id);
    expect(programme).not.toContain(fourth!.customer_id);
    expect(programme).toContain(fifth!.customer_id);
    expect((await excludedCandidates("ambassador", defaultLoyaltySettings, { reason: "member" })).rows.map((r) => r.customer_id).sort()).toEqual(
      [third!.customer_id, fourth!.customer_id].sort(),
    );
    const partners = (await rankCandidates("cocreation", defaultLoyaltySettings, { view: "all", limit: 1000 })).rows.map((r) => r.customer_id);
    for (const r of [third!, fourth!]) expect(partners.includes(r.customer_id)).toBe(cocreationBefore.rows.some((b) => b.customer_id === r.customer_id));

    // The domain agrees with all of it.
    const inputs = await domainInputs(responses);
    expect(expectedList("ambassador", inputs, defaultLoyaltySettings).ranked.map((r) => r.id)).toEqual(programme);
  });

  it("shows the top 5 % of the list, rounded up, ranked", async () => {
    await seedMix();
    await refreshCustomerLoyalty();
    const all = await rankCandidates("cocreation", defaultLoyaltySettings, { view: "all", limit: 1000 });
    const top5 = await rankCandidates("cocreation", defaultLoyaltySettings, { view: "top5" });
    expect(top5.size).toBe(Math.max(1, Math.ceil(all.total * 0.05)));
    expect(top5.rows.map((r) => r.customer_id)).toEqual(all.rows.slice(0, top5.size).map((r) => r.customer_id));
    const shops = await rankCandidates("cocreation", defaultLoyaltySettings, { view: "all", filters: { store: "Shibuya" }, limit: 1000 });
    expect(shops.total).toBeLessThan(all.total);
    expect(shops.total).toBeGreaterThan(0);
  });

  it("takes the borders and weights from Settings: admins only, out-of-range values refused by field, the matrix follows at once", async () => {
    const settingsRoute = await import("~/routes/staff.settings");
    const loyaltyRoute = await import("~/routes/staff.loyalty");
    const { post, get, staffSession } = await import("../support/requests");
    const { getLoyaltySettings } = await import("~/models/loyalty.server");
    const { loyaltyFields } = await import("~/schemas/loyalty");
    const call = (handler: unknown, request: Request) =>
      (handler as (args: unknown) => Promise<unknown>)({ request, params: {}, context: {} }).catch((e: unknown) => e);
    await seedMix();
    const admin = await staffSession("admin");
    const viewer = await staffSession("viewer");
    const form = (changes: Record<string, string | boolean>) => {
      const fields = { ...loyaltyFields(defaultLoyaltySettings), ...changes, intent: "loyalty" };
      // A form posts only the ticked checkboxes.
      return Object.fromEntries(Object.entries(fields as Record<string, string | number | boolean>).filter(([, v]) => v !== false).map(([k, v]) => [k, v === true ? "on" : String(v)]));
    };
    expect(((await call(settingsRoute.action, post("/staff/settings", form({ psychBorder: "60" }), viewer.cookie))) as Response).status).toBe(403);
    for (const [changes, field, message] of [
      [{ psychBorder: "101" }, "psychBorder", "loyalty.errors.scoreRange"],
      [{ minScore: "-1" }, "minScore", "loyalty.errors.scoreRange"],
      [{ a_nps: "-2" }, "a_nps", "loyalty.errors.negativeWeight"],
      [{ c_psych: "0", c_interest: "0", c_tenure: "0", c_text: "0" }, "c_psych", "loyalty.errors.noWeight"],
      [Object.fromEntries(cpmSegments.map((seg) => [`high_${seg}`, false])), "high_first_active", "loyalty.errors.noHighSegment"],
      [{ tenureYears: "0" }, "tenureYears", "loyalty.errors.positive"],
    ] as const) {
      const refused = (await call(settingsRoute.action, post("/staff/settings", form(changes), admin.cookie))) as { init: { status: number }; data: { fieldErrors: Record<string, string> } };
      expect(refused.init.status, field).toBe(400);
      expect(refused.data.fieldErrors[field], field).toBe(message);
    }
    expect(await getLoyaltySettings()).toEqual(defaultLoyaltySettings);

    const before = (await call(loyaltyRoute.loader, get("/staff/loyalty", viewer.cookie))) as Awaited<ReturnType<typeof loyaltyRoute.loader>>;
    expect(await call(settingsRoute.action, post("/staff/settings", form({ psychBorder: "0", high_loyal_active: false }), admin.cookie))).toEqual({ fieldErrors: {}, saved: true, rescored: null });
    const saved = await getLoyaltySettings();
    expect(saved.borders).toEqual({ highSegments: ["trendy_active", "steady_active"], psychBorder: 0 });
    const after = (await call(loyaltyRoute.loader, get("/staff/loyalty", viewer.cookie))) as Awaited<ReturnType<typeof loyaltyRoute.loader>>;
    // A border of 0: everyone scored has high loyalty, so no habitual and no low customers.
    expect(before.matrix.scored).toBeGreaterThan(50);
    expect(before.matrix.quadrants.habitual + before.matrix.quadrants.low).toBeGreaterThan(0);
    expect(after.matrix.scored).toBe(before.matrix.scored);
    expect(after.matrix.quadrants.habitual + after.matrix.quadrants.low).toBe(0);
    expect(after.matrix.quadrants.true_loyal + after.matrix.quadrants.latent_fan).toBe(after.matrix.scored);
  });

  it("sends a survey to a quadrant, to those not yet asked and to a shortlist, recording each invitation's segment and quadrant", async () => {
    const { inviteRecipients, previewRecipients } = await import("~/services/survey-distribution.server");
    const { setSurveyStatus } = await import("~/models/surveys.server");
    const { reactionRates } = await import("~/models/invitations.server");
    const { responses } = await seedMix();
    await refreshCustomerLoyalty();
    const inputs = await domainInputs(responses);
    const survey = await createSurvey({ ...surveySettings, title: L("Follow-up") }, [{ key: "nps", type: "nps", label: L("Recommend?"), required: true, construct: "recommend" }], null);
    await setSurveyStatus(survey, "open");
    const borders = defaultLoyaltySettings.borders;
    const contactable = (id: number, input?: CandidateInput) => input?.contactable ?? true;
    const consent = new Map((await queryRows<{ id: number; consent: boolean }>(sql`select id::int as id, marketing_consent as consent from customers`)).map((r) => [r.id, r.consent]));

    // A quadrant: exactly the customers the domain puts there, less those without consent.
    const latent = [...inputs].filter(([, i]) => quadrantOf(i.segment, i.psychScore, borders) === "latent_fan").map(([id]) => id);
    expect(latent.length).toBeGreaterThan(0);
    const preview = await previewRecipients(survey, { kind: "quadrant", quadrant: "latent_fan" });
    expect(preview.selected).toBe(latent.length);
    expect(preview.eligible).toBe(latent.filter((id) => consent.get(id) && contactable(id, inputs.get(id))).length);
    await inviteRecipients(survey, { kind: "quadrant", quadrant: "latent_fan" });
    const invited = await queryRows<{ customer_id: number; segment: string | null; quadrant: string | null }>(
      sql`select customer_id::int as customer_id, segment, quadrant from survey_invitations where survey_id = ${survey}`,
    );
    expect(invited.length).toBe(preview.eligible);
    for (const row of invited) {
      const input = inputs.get(row.customer_id)!;
      expect(row).toEqual({ customer_id: row.customer_id, segment: input.segment, quadrant: "latent_fan" });
    }

    // Not yet asked: customers without a loyalty score (those who never answered, or answered the pulse only).
    const unscored = [...consent.keys()].filter((id) => inputs.get(id)?.psychScore == null);
    expect((await previewRecipients(survey, { kind: "unscored" })).selected).toBe(unscored.length);
    await inviteRecipients(survey, { kind: "unscored" });
    const unscoredRows = await queryRows<{ quadrant: string | null }>(
      sql`select quadrant from survey_invitations where survey_id = ${survey} and customer_id = any(${`{${unscored.join(",")}}`}::bigint[])`,
    );
    expect(unscoredRows.length).toBeGreaterThan(0);
    expect(unscoredRows.every((r) => r.quadrant === null)).toBe(true);

    // A shortlist hands over its customers and nobody else.
    const top = await rankCandidates("ambassador", defaultLoyaltySettings, { view: "all", limit: 3 });
    await markCandidates("ambassador", top.rows.map((r) => r.customer_id), "shortlisted");
    const shortlistPreview = await previewRecipients(survey, { kind: "shortlist", list: "ambassador" });
    expect(shortlistPreview.selected).toBe(top.rows.length);

    // Reaction rates add up to the invitations, by segment and by quadrant.
    await getDb().execute(sql`update survey_invitations set answered_at = now() where survey_id = ${survey} and quadrant = 'latent_fan'`);
    const rates = (await reactionRates()).filter((r) => r.surveyId === survey);
    expect(rates.reduce((s, r) => s + r.invited, 0)).toBe(invited.length + unscoredRows.length);
    expect(rates.filter((r) => r.quadrant === "latent_fan").reduce((s, r) => s + r.answered, 0)).toBe(invited.length);
    expect(rates.filter((r) => r.quadrant !== "latent_fan").reduce((s, r) => s + r.answered, 0)).toBe(0);
  });
});
