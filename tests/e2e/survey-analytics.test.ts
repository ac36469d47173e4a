// Survey analytics in the browser: staff import a survey file with one question of every type, open
// it, a customer answers it on a phone through the open link, and the results page shows a result for
// every question (choice questions crossed with the NPS category). The pages themselves are walked at
// 1280 and 390 px in both languages by staff-pages.test.ts.
import { describe, expect, it } from "vitest";
import { signInDemoAdmin, usePortalAndBrowser, watchConsole } from "./support";

const L = (ja: string, en: string) => ({ ja, en });
const surveyFile = {
  title: L("すべての設問タイプ", "Every question type"),
  intro: L("", ""),
  thanks: L("ありがとうございました。", "Thank you."),
  layout: "all_on_one",
  questions: [
    { key: "nps", type: "nps", label: L("友人に薦めますか？", "Would you recommend us?"), required: true, construct: "recommend" },
    { key: "like", type: "likert", label: L("このブランドが好きだ", "I like this brand"), required: true, points: 5, construct: "attachment" },
    { key: "stars", type: "rating", label: L("店舗の評価", "Rate the shop"), required: true, points: 5 },
    { key: "visit", type: "single", label: L("来店頻度", "How often do you visit?"), required: true, options: [{ value: "weekly", label: L("毎週", "Weekly") }, { value: "monthly", label: L("毎月", "Monthly") }] },
    { key: "likes", type: "multiple", label: L("好きな点", "What do you like?"), required: true, options: [{ value: "price", label: L("価格", "Price") }, { value: "staff", label: L("スタッフ", "Staff") }, { value: "range", label: L("品揃え", "Range") }] },
    { key: "word", type: "short_text", label: L("ひとことで", "In one word"), required: true },
    { key: "story", type: "long_text", label: L("エピソード", "Tell us a story"), required: false },
  ],
};

describe("survey analytics", () => {
  const e2e = usePortalAndBrowser("demo");

  it("shows a result for every question type of a survey imported from a file", async () => {
    const { context: staff, page } = await signInDemoAdmin(e2e.browser, e2e.portal);
    const errors = watchConsole(page);

    await page.goto(`${e2e.portal.url}/staff/surveys/import`);
    await page.getByLabel("Or paste the JSON").fill(JSON.stringify(surveyFile));
    await page.getByRole("button", { name: "Check and import" }).click();
    await page.waitForURL(/\/staff\/surveys\/\d+$/);
    const surveyUrl = page.url();
    await page.getByRole("button", { name: "Open for answers" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Close" }).count()).toBeGreaterThan(0);
    const openUrl = (await page.locator(".break").first().textContent())!.trim().replace(/^https?:\/\/[^/]+/, e2e.portal.url);

    // A customer on a phone, through the open link.
    const phone = await e2e.browser.newContext({ locale: "en-US", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const customer = await phone.newPage();
    await customer.goto(openUrl);
    const question = (n: number) => customer.locator(".survey-question").nth(n);
    await expect.poll(() => customer.locator(".survey-question").count()).toBe(7);
    await question(0).locator(".survey-choice").nth(10).click(); // NPS 10: a promoter
    await question(1).locator(".survey-choice").nth(4).click(); // strongly agree
    await question(2).locator(".survey-choice").nth(3).click(); // four stars
    await question(3).locator(".survey-choice").nth(0).click();
    await question(4).locator(".survey-choice").nth(0).click();
    await question(4).locator(".survey-choice").nth(1).click();
    await question(5).locator("input[type=text]").fill("friendly");
    await question(6).locator("textarea").fill("The staff remembered my name.");
    await customer.getByRole("button", { name: "Send my answers" }).click();
    await expect.poll(() => customer.getByRole("status").textContent()).toMatch(/Thank you/);
    await phone.close();

    await page.goto(`${surveyUrl}/results?cross=nps`);
    for (const q of surveyFile.questions) {
      // A busy machine may show the last statistics first; the page refreshes itself when they are ready.
      await expect.poll(() => page.getByTestId(`question-${q.key}`).count(), { message: q.key, timeout: 15_000 }).toBe(1);
      expect(await page.getByTestId(`question-${q.key}`).textContent(), q.key).toContain("1 answered");
    }
    expect(await page.getByTestId("question-like").textContent()).toMatch(/Top-2-box\s*100/);
    expect(await page.getByTestId("question-likes").textContent()).toMatch(/Staff\s*1\s*\(100(\.0)?%\)/);
    expect(await page.getByTestId("cross-visit").textContent()).toMatch(/Promoter/);
    expect(await page.getByTestId("nps-indicative").textContent()).toMatch(/Fewer than 30 answers \(n = 1\): indicative only/);
    expect(await page.getByTestId("constructs").textContent()).toMatch(/One item: no alpha/);
    // NPS by month: one labelled month per point.
    const trend = page.getByRole("img", { name: "NPS by month (all surveys)" });
    // The dots appear when the line's drawing animation ends.
    await expect.poll(() => trend.locator(".recharts-line-dot").count(), { timeout: 10_000 }).toBeGreaterThan(1);
    expect(await trend.locator(".recharts-xAxis .recharts-cartesian-axis-tick").count()).toBe(await trend.locator(".recharts-line-dot").count());
    expect(errors).toEqual([]);
    await staff.close();
  });
});
