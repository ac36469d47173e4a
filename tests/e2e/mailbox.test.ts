// The demo's mail (its survey invitations), delivered by the in-process worker through the local
// transport, read in the staff mailbox; a message opens in a sandboxed frame. Then a newcomer's first
// walk: from an invitation in the mailbox, through its button, to an answer counted on the survey.
import { describe, expect, it } from "vitest";
import { signInDemoAdmin, usePortalAndBrowser, DEMO_SURVEY } from "./support";

describe("the mailbox in the browser", () => {
  const e2e = usePortalAndBrowser("demo");

  it("lists the demo mail as sent and shows a message as the customer gets it", async () => {
    const { context, page } = await signInDemoAdmin(e2e.browser, e2e.portal);

    await page.getByRole("link", { name: "Mailbox" }).first().click();
    await page.waitForURL(/\/staff\/mailbox$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Mailbox");
    await expect.poll(async () => page.getByText(/Local transport/).count()).toBe(1);
    // The worker delivers the demo mail within a few seconds of start-up.
    await expect
      .poll(async () => {
        await page.goto(`${e2e.portal.url}/staff/mailbox?status=sent`);
        return page.getByTestId("mailbox").locator("tbody tr").count();
      }, { timeout: 30_000 })
      .toBeGreaterThan(10);

    await page.goto(`${e2e.portal.url}/staff/mailbox?status=sent&template=survey-invitation`);
    await page.getByTestId("mailbox").locator("tbody tr a").first().click();
    await page.waitForURL(/\/staff\/mailbox\/\d+$/);
    await expect.poll(() => page.getByText("As delivered (local transport)").count()).toBe(1);
    const frame = page.frameLocator("[data-testid=mail-frame]");
    await expect.poll(() => frame.locator("body").textContent()).toMatch(/アンケートに回答する|Take the survey/);
    // No scripts (same origin only so the page can read the message's height); links may only open a new tab (the next test follows one).
    expect(await page.getByTestId("mail-frame").getAttribute("sandbox")).toBe("allow-same-origin allow-popups allow-popups-to-escape-sandbox");
    expect(await page.locator("pre").filter({ hasText: "List-Unsubscribe-Post: List-Unsubscribe=One-Click" }).count()).toBe(1);
    await page.screenshot({ path: "/tmp/mailbox-message.png", fullPage: true });

    // Templates the demo sends no mail of are shown with sample data, attachments included.
    await page.goto(`${e2e.portal.url}/staff/mailbox/templates?template=event-confirmation&locale=en`);
    await expect.poll(() => frame.locator("body").textContent()).toMatch(/タウンミーティング/);
    expect(await page.locator("summary", { hasText: "event.ics" }).count()).toBe(1);

    await page.goto(`${e2e.portal.url}/staff/mailbox/templates?template=survey-invitation&locale=en`);
    await expect.poll(() => frame.locator("body").textContent()).toContain("Unsubscribe");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: "/tmp/mailbox-templates-phone.png", fullPage: true });
    await context.close();
  });

  it("goes from an invitation in the mailbox to an answer counted on the survey", async () => {
    const { context, page } = await signInDemoAdmin(e2e.browser, e2e.portal);
    expect(e2e.portal.output()).toMatch(/Demo invitations: 40 customers invited/);

    // The demo survey, and how many invited customers have answered it.
    const openSurvey = async () => {
      await page.getByRole("link", { name: "Surveys" }).first().click();
      await page.getByTestId("surveys").locator("tbody tr").filter({ hasText: DEMO_SURVEY }).locator("a").first().click();
      await page.waitForURL(/\/staff\/surveys\/\d+$/);
    };
    await openSurvey();
    const answered = async () => {
      const value = await page.getByTestId("survey-counts").locator(".stat", { hasText: "Answered (invitations)" }).locator(".stat-value").textContent();
      return Number(value!.replace(/\D/g, ""));
    };
    const answeredBefore = await answered();

    // The mailbox: the worker delivers the demo's invitations within seconds of start-up. Newer demo mail
    // (the ambassador programme's) comes first, so the survey invitations are picked by template.
    await page.getByRole("link", { name: "Mailbox" }).first().click();
    await page.waitForURL(/\/staff\/mailbox$/);
    const invitation = page.getByTestId("mailbox").locator("tbody tr", { hasText: "We'd love your feedback" }).filter({ hasText: "Sent" });
    await expect
      .poll(async () => {
        await page.goto(`${e2e.portal.url}/staff/mailbox?template=survey-invitation`);
        return invitation.count();
      }, { timeout: 30_000 })
      .toBeGreaterThan(0);
    await invitation.first().getByRole("link").click();
    await page.waitForURL(/\/staff\/mailbox\/\d+$/);
    await expect.poll(() => page.getByText("As delivered (local transport)").count()).toBe(1);

    // The button in the email: a personal link on this portal's own address, opened in a new tab.
    const button = page.frameLocator("[data-testid=mail-frame]").getByRole("link", { name: "Take the survey" });
    expect(await button.getAttribute("href")).toMatch(new RegExp(`^${e2e.portal.url}/s/[\\w-]{43}$`));
    const [customer] = await Promise.all([context.waitForEvent("page"), button.click()]);
    await customer.waitForLoadState();
    expect(customer.url()).toMatch(new RegExp(`^${e2e.portal.url}/s/[\\w-]{43}$`));

    // The customer answers, one question at a time.
    await expect.poll(() => customer.locator(".survey-progress p").textContent()).toMatch(/^Question 1 of \d+$/);
    const total = Number((await customer.locator(".survey-progress p").textContent())!.replace(/^Question 1 of /, ""));
    for (let step = 1; step <= total; step++) {
      await expect.poll(() => customer.locator(".survey-progress p").textContent()).toBe(`Question ${step} of ${total}`);
      const question = customer.locator(".survey-question");
      const choices = question.locator(".survey-choice");
      if ((await choices.count()) > 0) await choices.nth((await choices.count()) - 1).click();
      else await question.locator("textarea, input[type=text]").fill("Found you through the demo mailbox");
      if (step < total) await customer.getByRole("button", { name: "Next" }).click();
    }
    await customer.getByRole("button", { name: "Send my answers" }).click();
    await expect.poll(() => customer.getByRole("status").textContent()).toMatch(/Thank you/);

    // Staff: one more answer on the survey.
    await openSurvey();
    expect(await answered()).toBe(answeredBefore + 1);
    await context.close();
  });

  it("sizes a message's frame to the email, its call to action in view, on a desktop and a phone (issue 13 item 10)", async () => {
    for (const [width, locale] of [[1280, "en-US"], [390, "ja-JP"]] as const) {
      const { context, page } = await signInDemoAdmin(e2e.browser, e2e.portal, { locale, viewport: { width, height: 900 } });
      const invitations = page.getByTestId("mailbox").locator("tbody tr a");
      await expect
        .poll(async () => {
          await page.goto(`${e2e.portal.url}/staff/mailbox?status=sent&template=survey-invitation`);
          return invitations.count();
        }, { timeout: 30_000 })
        .toBeGreaterThan(0);
      await invitations.first().click();
      await page.waitForURL(/\/staff\/mailbox\/\d+$/);
      const frameElement = page.getByTestId("mail-frame");
      const button = page.frameLocator("[data-testid=mail-frame]").getByRole("link", { name: /^(Take the survey|アンケートに回答する)$/ });
      await button.waitFor();

      // The frame is as tall as the email (within a pixel), so nothing scrolls inside it, and no wider.
      const fit = () =>
        frameElement.evaluate((frame: HTMLIFrameElement) => {
          const root = frame.contentDocument!.documentElement;
          return { frame: frame.clientHeight, email: root.scrollHeight, content: root.getBoundingClientRect().height, wide: root.scrollWidth - frame.clientWidth };
        });
      await expect.poll(async () => { const f = await fit(); return f.frame >= f.email && Math.abs(f.frame - f.content) <= 1; }).toBe(true);
      expect((await fit()).wide).toBeLessThanOrEqual(0);

      // The call to action lies wholly inside the frame, and the page itself does not scroll sideways.
      const [cta, frame] = [(await button.boundingBox())!, (await frameElement.boundingBox())!];
      expect(cta.y).toBeGreaterThanOrEqual(frame.y);
      expect(cta.y + cta.height).toBeLessThanOrEqual(frame.y + frame.height);
      expect(cta.x + cta.width).toBeLessThanOrEqual(frame.x + frame.width);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await context.close();
    }
  });
});
