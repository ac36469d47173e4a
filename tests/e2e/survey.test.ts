// A survey from invitation to result, in the browser: staff send the demo loyalty survey to a few
// customers, the invitation arrives in the mailbox (local transport), a customer answers it on a
// phone-sized screen in Japanese, one question at a time, and staff see the answer in the results.
import { describe, expect, it } from "vitest";
import { signInDemoAdmin, usePortalAndBrowser, DEMO_SURVEY } from "./support";

describe("answering a survey", () => {
  const e2e = usePortalAndBrowser("demo");

  it("goes from invitation to a Japanese answer on a phone to the staff results", async () => {
    const { context: staff, page } = await signInDemoAdmin(e2e.browser, e2e.portal);

    // The demo survey, and how many answered so far.
    await page.goto(`${e2e.portal.url}/staff/surveys`);
    await page.getByTestId("surveys").locator("tbody tr").filter({ hasText: DEMO_SURVEY }).locator("a").first().click();
    await page.waitForURL(/\/staff\/surveys\/\d+$/);
    const surveyUrl = page.url();
    const answeredBefore = Number((await page.getByTestId("survey-counts").locator(".stat-value").nth(2).textContent())!.replace(/\D/g, ""));

    // Send to a pasted list of customer ids: those not yet invited (with email and consent) get a link.
    const exported = await (await page.request.get(`${e2e.portal.url}/staff/customers/export.csv`)).text();
    const ids = exported.split("\n").slice(1, 400).map((line) => line.split(",")[0]).filter(Boolean);
    await page.getByLabel(/A list of customer IDs/).check();
    await page.getByLabel(/Customer IDs, one per line/).fill(ids.join("\n"));
    await page.getByRole("button", { name: "Preview recipients" }).click();
    await expect.poll(() => page.getByTestId("recipient-preview").textContent()).toMatch(/\d+ customers will be invited/);
    await page.getByRole("button", { name: "Send invitations", exact: true }).click();
    // Nothing is sent before the count is confirmed.
    const confirm = page.getByRole("alertdialog", { name: "Send the invitations?" });
    await expect.poll(() => confirm.textContent()).toMatch(/This emails \d+ customers? now/);
    await confirm.getByRole("button", { name: /^Email \d+ customers?$/ }).click();
    // The send runs in the background with a progress bar; the page says when it is done, once.
    await expect.poll(() => page.getByText(/Invitations queued: [1-9]/).count(), { timeout: 20_000 }).toBe(1);
    await page.reload();
    await expect.poll(() => page.getByTestId("last-send").textContent()).toMatch(/^[\d,]+ invited so far, last on /);
    expect(await page.getByText(/Invitations queued/).count()).toBe(0);

    // The invitation as delivered (the worker runs in the e2e.portal): a Japanese one, and its link.
    let link: string | null = null;
    await expect
      .poll(async () => {
        await page.goto(`${e2e.portal.url}/staff/mailbox?status=sent&template=survey-invitation`);
        const rows = page.getByTestId("mailbox").locator("tbody tr a");
        const messages: string[] = [];
        for (let i = 0; i < (await rows.count()); i++) {
          if (/[ぁ-んァ-ン一-龥]/.test((await rows.nth(i).textContent()) ?? "")) messages.push((await rows.nth(i).getAttribute("href"))!);
        }
        for (const message of messages) {
          await page.goto(`${e2e.portal.url}${message}`);
          const href = await page.frameLocator("[data-testid=mail-frame]").locator('a[href*="/s/"]').first().getAttribute("href");
          // The demo's sample mail has a sample link; ours have a real token.
          if (href && /\/s\/[\w-]{43}$/.test(href)) return (link = href);
        }
        return null;
      }, { timeout: 30_000 })
      .toMatch(/\/s\/[\w-]{43}$/);

    // The customer, on a phone, in Japanese.
    const phone = await e2e.browser.newContext({ locale: "ja-JP", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const personalUrl = link!.replace(/^https?:\/\/[^/]+/, e2e.portal.url);
    let customer = await phone.newPage();
    await customer.goto(personalUrl);
    await expect.poll(() => customer.getByText("13問中 1問目").count()).toBe(1);
    // Required: going on without an answer says so next to the question.
    await customer.getByRole("button", { name: "次へ" }).click();
    await expect.poll(() => customer.getByRole("alert").textContent()).toBe("この質問にお答えください。");
    for (let step = 1; step <= 13; step++) {
      await expect.poll(() => customer.locator(".survey-progress p").textContent()).toBe(`13問中 ${step}問目`);
      const question = customer.locator(".survey-question");
      const choices = question.locator(".survey-choice");
      if ((await choices.count()) > 0) {
        // The highest value on scales (the second option on 0–10 would be a detractor), the first choice otherwise.
        const n = await choices.count();
        await choices.nth(n > 5 && n <= 11 ? n - 1 : n === 5 ? 4 : 0).click();
      } else {
        await question.locator("textarea, input[type=text]").fill("店員さんの笑顔が素敵です e2e-marker");
      }
      // Answering clears the message under the question (the page shifts); then go on.
      await expect.poll(() => customer.getByRole("alert").count()).toBe(0);
      if (step < 13) await customer.getByRole("button", { name: "次へ" }).click();
      if (step === 6) {
        // The tab closes halfway; the same link resumes at the next question with the answers so far.
        await customer.close();
        customer = await phone.newPage();
        await expect
          .poll(async () => {
            await customer.goto(personalUrl);
            return customer.locator(".survey-progress p").textContent();
          })
          .toBe("13問中 7問目");
        await customer.getByRole("button", { name: "戻る" }).click();
        await expect.poll(() => customer.locator(".survey-question input:checked").count()).toBe(1);
        await customer.getByRole("button", { name: "次へ" }).click();
      }
    }
    await customer.screenshot({ path: "/tmp/survey-phone.png", fullPage: true });
    await customer.getByRole("button", { name: "回答を送信する" }).click();
    await expect.poll(() => customer.getByRole("status").textContent()).toMatch(/ありがとう/);
    // The same link again: already answered, not a second response.
    await customer.reload();
    await expect.poll(() => customer.getByText("回答済みです").count()).toBe(1);

    // Staff: one more answer, and the comment in the results.
    await page.goto(surveyUrl);
    const answeredAfter = Number((await page.getByTestId("survey-counts").locator(".stat-value").nth(2).textContent())!.replace(/\D/g, ""));
    expect(answeredAfter).toBe(answeredBefore + 1);
    await page.goto(`${surveyUrl}/results?q=e2e-marker`);
    await expect.poll(() => page.getByTestId("open-text").locator("li").count()).toBe(1);
    await expect.poll(() => page.getByTestId("results-summary").textContent()).toMatch(/NPS/);
    await page.screenshot({ path: "/tmp/survey-results.png", fullPage: true });
    await phone.close();
    await staff.close();
  });
});
