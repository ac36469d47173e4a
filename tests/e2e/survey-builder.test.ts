// The survey builder in the browser: the server's HTML already carries the survey (read here with
// JavaScript off), and the page hydrates over it without a complaint. Once a survey has answers, what
// they depend on is locked up front, with the reason and the copy action beside it; a copy is editable.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, signInDemoAdmin, startPortal, watchConsole, type Portal, DEMO_SURVEY } from "./support";

interface SurveyFile {
  title: { ja: string; en: string };
  questions: { key: string; type: string; label: { ja: string; en: string }; points?: number; reverse?: boolean; options?: { value: string; label: { ja: string; en: string } }[] }[];
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
    surveyPath = (await staff.page.getByTestId("surveys").locator("tbody tr").filter({ hasText: DEMO_SURVEY }).locator("a").first().getAttribute("href"))!;
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

  it("locks what answers depend on, with the reason and the copy action, and a copy is editable again (issue 13 item 9)", async () => {
    // The server's HTML already has the lock: keys read-only, type, scale, construct and reverse
    // disabled, each card saying why with the copy button; wording stays editable.
    const page = await serverHtml(`${surveyPath}/edit`);
    const cards = page.locator(".question-card");
    const count = await cards.count();
    for (let i = 0; i < count; i++) {
      const card = cards.nth(i);
      const control = (field: string) => card.locator(`[name="questions.${i}.${field}"]`);
      expect(await control("key").getAttribute("readonly")).not.toBeNull();
      expect(await control("key").getAttribute("aria-describedby")).toBe(`question-${i}-locked`);
      expect(await control("type").isDisabled()).toBe(true);
      expect(await control("labelJa").isEditable()).toBe(true);
      const note = await card.locator(`#question-${i}-locked`).textContent();
      expect(note).toMatch(/^Locked: the answers use this question's key/);
      if ((await control("type").inputValue()) === "likert") expect(note).toContain("scale, reverse scoring");
      expect(await card.locator('button[form="copy-survey"]').textContent()).toBe("Copy to a new version");
      for (const name of ["Move up", "Move down", "Remove"]) expect(await card.getByRole("button", { name }).isDisabled()).toBe(true);
    }
    expect(await page.getByRole("button", { name: "Add question" }).isDisabled()).toBe(true);
    expect(await page.getByText("Locked: answers exist, so questions cannot be added, removed or reordered.").count()).toBe(1);
    await page.context().close();

    // In the browser: a reverse-scored item stays reverse-scored, an option value is shown, not edited,
    // its label and a question's wording may change, and the save goes through the server's check.
    const before = (await (await staff.page.request.get(`${portal.url}${surveyPath}/survey.json`)).json()) as SurveyFile;
    const reverseIndex = before.questions.findIndex((q) => q.reverse);
    const choiceIndex = before.questions.findIndex((q) => q.type === "single");
    expect(reverseIndex).toBeGreaterThanOrEqual(0);
    expect(choiceIndex).toBeGreaterThanOrEqual(0);
    const builder = staff.page;
    await builder.goto(`${portal.url}${surveyPath}/edit`);
    await builder.waitForLoadState("networkidle");
    const reverse = builder.locator(`[name="questions.${reverseIndex}.reverse"]`);
    expect(await reverse.isChecked()).toBe(true);
    expect(await reverse.isDisabled()).toBe(true);
    const choice = builder.locator(".question-card").nth(choiceIndex);
    const option = before.questions[choiceIndex]!.options![0]!;
    expect(await choice.locator(".locked-option code").first().textContent()).toBe(option.value);
    await choice.getByLabel(`Label of ${option.value} (English)`).fill("Relabelled option");
    await builder.locator(`[name="questions.0.labelEn"]`).fill("A reworded first question");
    await builder.getByRole("button", { name: "Save survey" }).click();
    await builder.getByText("Saved.").waitFor();
    const after = (await (await staff.page.request.get(`${portal.url}${surveyPath}/survey.json`)).json()) as SurveyFile;
    expect(after.questions[0]!.label.en).toBe("A reworded first question");
    expect(after.questions[choiceIndex]!.options![0]!.label).toEqual({ ja: option.label.ja, en: "Relabelled option" });
    const structure = (file: SurveyFile) => file.questions.map((q) => [q.key, q.type, q.points, q.reverse, q.options?.map((o) => o.value)]);
    expect(structure(after)).toEqual(structure(before));

    // The copy action beside a locked field makes a new draft without answers: nothing is locked there.
    await builder.locator(".question-card").first().getByRole("button", { name: "Copy to a new version" }).click();
    await builder.waitForURL((url) => /\/staff\/surveys\/\d+\/edit$/.test(url.pathname) && !url.pathname.startsWith(`${surveyPath}/`));
    const first = builder.locator(".question-card").first();
    // The URL changes as the navigation commits; the page renders the copy a moment later.
    await expect.poll(() => builder.locator(".lock-note").count()).toBe(0);
    expect(await first.locator('[name="questions.0.key"]').isEditable()).toBe(true);
    expect(await first.locator('[name="questions.0.type"]').isDisabled()).toBe(false);
    expect(await first.getByRole("button", { name: "Remove" }).isDisabled()).toBe(false);
    expect(await builder.getByRole("button", { name: "Add question" }).isDisabled()).toBe(false);
    expect(await builder.locator(`[name="questions.${choiceIndex}.options"]`).isEditable()).toBe(true);
  });
});
