// The dashboard's figures on a real database: the revenue chart marks a month the data has not finished
// as month to date, and the survey tiles show the latest survey's NPS with its interval and response rate.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client.server";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { npsWithInterval } from "~/domain/survey/stats";
import { getDashboardSummary, getMonthlyRevenue } from "~/models/dashboard.server";
import { getLatestSurveyHeadline } from "~/models/survey-results.server";
import { createSurvey, setSurveyStatus } from "~/models/surveys.server";
import { submitOpen } from "~/services/survey-responses.server";
import { useTestDatabase } from "../setup/db";

const tz = "Asia/Tokyo";

async function purchase(at: string, amount: number, key: number) {
  await getDb().execute(
    sql`insert into purchases (customer_id, purchased_at, amount, dedupe_key)
        select id, ${at}::timestamptz, ${amount}, md5(${String(key)})::uuid from customers where external_id = 'C1'`,
  );
}

describe("dashboard", () => {
  useTestDatabase();

  it("marks the last month as month to date only when the data stops before its last day", async () => {
    await getDb().execute(sql`insert into customers (external_id) values ('C1')`);
    await purchase("2026-10-10T03:00:00Z", 5000, 1);
    await purchase("2026-11-05T03:00:00Z", 7500, 2);
    // A refund lowers the month's revenue but is not a purchase.
    await purchase("2026-11-06T03:00:00Z", -500, 5);
    // 1 December 00:30 in Tokyo is still 30 November in UTC: it is December's, and December has just begun.
    await purchase("2026-11-30T15:30:00Z", 1000, 3);
    const months = await getMonthlyRevenue(tz);
    expect(months).toEqual([
      { month: "2026-10", revenue: 5000, purchases: 1, partial: false, through: "2026-12-01" },
      { month: "2026-11", revenue: 7000, purchases: 1, partial: false, through: "2026-12-01" },
      { month: "2026-12", revenue: 1000, purchases: 1, partial: true, through: "2026-12-01" },
    ]);
    expect(await getDashboardSummary()).toMatchObject({ customers: 1, purchases: 3, revenue: "13000.00" });
    // Data that ends on a month's last day (Tokyo) is a whole month.
    await getDb().execute(sql`delete from purchases where amount = 1000`);
    await purchase("2026-11-30T14:00:00Z", 2000, 4);
    expect((await getMonthlyRevenue(tz)).at(-1)).toMatchObject({ month: "2026-11", revenue: 9000, partial: false, through: "2026-11-30" });
  });

  it("shows the latest survey with NPS answers, its interval and its invitations' response rate", async () => {
    expect(await getLatestSurveyHeadline()).toBeNull();
    const template = loyaltyTemplate();
    const older = await createSurvey({ ...template, layout: "all_on_one", linkDays: 30, reminderDays: null }, template.questions, null);
    await setSurveyStatus(older, "open");
    const answers = { attach1: 5, attach2: 4, pref1: 4, pref2: 4, cont1: 5, cont2: 4, trust1: 5, trust2: 4, wallet: "about_half", ambassador: "yes", cocreation: "maybe" };
    await submitOpen(older, "00000000-0000-4000-8000-000000000001", { ...answers, nps: 2 }, "ja");
    const latest = await createSurvey({ ...template, layout: "all_on_one", linkDays: 30, reminderDays: null }, template.questions, null);
    await getDb().execute(sql`update surveys set opened_at = now() + interval '1 minute' where id = ${older}`);
    await setSurveyStatus(latest, "open");
    await getDb().execute(sql`update surveys set opened_at = now() + interval '2 minutes' where id = ${latest}`);
    const scores = [10, 9, 9, 7, 3];
    for (const [i, nps] of scores.entries()) await submitOpen(latest, `00000000-0000-4000-8000-00000000001${i}`, { ...answers, nps }, "ja");
    // Four customers invited, one of them answered.
    await getDb().execute(sql`insert into customers (external_id) select 'C' || g from generate_series(1, 4) g`);
    await getDb().execute(
      sql`insert into survey_invitations (survey_id, customer_id, answered_at)
          select ${latest}, id, case when external_id = 'C1' then now() end from customers`,
    );
    const headline = await getLatestSurveyHeadline(getDb(), { wait: true });
    expect(headline).toMatchObject({ surveyId: latest, invited: 4, answered: 1, responseRate: 0.25 });
    expect(headline!.nps).toEqual(npsWithInterval({ promoters: 3, passives: 1, detractors: 1 }));
    expect(headline!.nps.indicative).toBe(true);
  });
});
