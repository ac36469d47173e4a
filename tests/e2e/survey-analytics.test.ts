// Survey analytics in the browser: staff import a survey file with one question of every type, open
// it, a customer answers it on a phone through the open link, and the results page shows a result for
// every question (choice questions crossed with the NPS category). Then the pages this work touched are
// walked at 1280 and 390 px in English and Japanese: no console error, nothing wider than the phone,
// and no serious or critical axe-core finding.
import fs from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, signInDemoAdmin, startPortal, walkStaffPages, watchConsole, type Portal } from "./support";

const SHOTS = "/tmp/survey-analytics-shots";

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
  let portal: Portal;
  let browser: Browser;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    [portal, browser] = await Promise.all([startPortal({}, "demo"), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it("shows a result for every question type of a survey imported from a file", async () => {
    const { context: staff, page } = await signInDemoAdmin(browser, portal);
    const errors = watchConsole(page);

    await page.goto(`${portal.url}/staff/surveys/import`);
    await page.getByLabel("Or paste the JSON").fill(JSON.stringify(surveyFile));
    await page.getByRole("button", { name: "Check and import" }).click();
    await page.waitForURL(/\/staff\/surveys\/\d+$/);
    const surveyUrl = page.url();
    await page.getByRole("button", { name: "Open for answers" }).click();
    await expect.poll(() => page.getByRole("button", { name: "Close" }).count()).toBeGreaterThan(0);
    const openUrl = (await page.locator(".break").first().textContent())!.trim().replace(/^https?:\/\/[^/]+/, portal.url);

    // A customer on a phone, through the open link.
    const phone = await browser.newContext({ locale: "en-US", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
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

  it("keeps the touched pages within a phone, free of console errors and of serious axe findings, in both languages", async () => {
    const { context: en, page } = await signInDemoAdmin(browser, portal);
    await page.goto(`${portal.url}/staff/surveys`);
    const surveyPath = await page.getByTestId("surveys").locator("tbody tr a").first().getAttribute("href");
    await page.goto(`${portal.url}/staff/customers`);
    const customerPath = await page.getByTestId("customers").locator("tbody tr a").first().getAttribute("href");
    await en.close();
    const pages = [
      `${surveyPath}/results`,
      `${surveyPath}/results?cross=segment&segment=none`,
      `/staff/surveys/compare?b=${surveyPath!.split("/").pop()}`,
      "/staff/surveys/import",
      "/staff/surveys",
      surveyPath!,
      customerPath!,
      "/staff/customers",
    ];
    const problems = await walkStaffPages(browser, portal, pages, { screenshotDir: SHOTS });
    expect(problems).toEqual([]);
  }, 300_000);
});
