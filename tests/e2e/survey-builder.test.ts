// The survey builder in the browser: the server's HTML already carries the survey (read here with
// JavaScript off), and the page hydrates over it without a complaint.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, signInDemoAdmin, startPortal, watchConsole, type Portal } from "./support";

interface SurveyFile {
  title: { ja: string; en: string };
  questions: { key: string; type: string; label: { ja: string; en: string }; points?: number }[];
}

describe("the survey builder", () => {
  let portal: Portal;
  let browser: Browser;
  let staff: { context: BrowserContext; page: Page };
  let surveyPath: string;

  beforeAll(async () => {
    [portal, browser] = await Promise.all([startPortal({}, "demo"), launchBrowser()]);
    staff = await signInDemoAdmin(browser, portal);
    await staff.page.goto(`${portal.url}/staff/surveys`);
    // The demo loyalty survey, which has answers.
    surveyPath = (await staff.page.getByTestId("surveys").locator("tbody tr a").first().getAttribute("href"))!;
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  /** A page of the signed-in staff member with JavaScript off: what the server sent, nothing more. */
  async function serverHtml(path: string) {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: "en-US", storageState: await staff.context.storageState() });
    const page = await context.newPage();
    await page.goto(`${portal.url}${path}`);
    return page;
  }

  it("server-renders the survey's title, question texts, keys and types (issue 13 item 5)", async () => {
    const file = (await (await staff.page.request.get(`${portal.url}${surveyPath}/survey.json`)).json()) as SurveyFile;
    const page = await serverHtml(`${surveyPath}/edit`);
    expect(await page.getByLabel("Title (Japanese)").inputValue()).toBe(file.title.ja);
    expect(await page.getByLabel("Title (English)").inputValue()).toBe(file.title.en === file.title.ja ? "" : file.title.en);
    const cards = page.locator(".question-card");
    expect(await cards.count()).toBe(file.questions.length);
    expect(file.questions.map((q) => q.type)).toContain("likert");
    for (const [i, q] of file.questions.entries()) {
      const value = (field: string) => cards.nth(i).locator(`[name="questions.${i}.${field}"]`).inputValue();
      expect(await value("key")).toBe(q.key);
      expect(await value("type")).toBe(q.type);
      expect(await value("labelJa")).toBe(q.label.ja);
      expect(await value("labelEn")).toBe(q.label.en === q.label.ja ? "" : q.label.en);
      if (q.type === "likert") expect(await value("points")).toBe(String(q.points));
    }
    await page.context().close();

    // With JavaScript the page hydrates over the same values: no mismatch reported.
    const errors = watchConsole(staff.page);
    await staff.page.goto(`${portal.url}${surveyPath}/edit`);
    await staff.page.waitForLoadState("networkidle");
    expect(await staff.page.getByLabel("Title (Japanese)").inputValue()).toBe(file.title.ja);
    expect(errors).toEqual([]);
  });
});
