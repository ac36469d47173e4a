// The demo's mail, delivered by the in-process worker through the local transport, read in the
// staff mailbox; a message opens in a sandboxed frame.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, signInDemoAdmin, startPortal, type Portal } from "./support";

describe("the mailbox in the browser", () => {
  let portal: Portal;
  let browser: Browser;

  beforeAll(async () => {
    [portal, browser] = await Promise.all([startPortal({}, "demo"), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it("lists the demo mail as sent and shows a message as the customer gets it", async () => {
    const { context, page } = await signInDemoAdmin(browser, portal);

    await page.getByRole("link", { name: "Mailbox" }).first().click();
    await page.waitForURL(/\/staff\/mailbox$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Mailbox");
    await expect.poll(async () => page.getByText(/Local transport/).count()).toBe(1);
    // The worker delivers the demo mail within a few seconds of start-up.
    await expect
      .poll(async () => {
        await page.goto(`${portal.url}/staff/mailbox?status=sent`);
        return page.getByTestId("mailbox").locator("tbody tr").count();
      }, { timeout: 30_000 })
      .toBeGreaterThan(10);
    await page.goto(`${portal.url}/staff/mailbox?status=suppressed`);
    expect(await page.getByTestId("mailbox").locator("tbody tr").count()).toBeGreaterThan(0);

    await page.goto(`${portal.url}/staff/mailbox?status=sent&template=event-confirmation`);
    await page.getByTestId("mailbox").locator("tbody tr a").first().click();
    await page.waitForURL(/\/staff\/mailbox\/\d+$/);
    await expect.poll(() => page.getByText("As delivered (local transport)").count()).toBe(1);
    const frame = page.frameLocator("[data-testid=mail-frame]");
    await expect.poll(() => frame.locator("body").textContent()).toMatch(/タウンミーティング|town meeting/i);
    expect(await page.getByTestId("mail-frame").getAttribute("sandbox")).toBe("");
    expect(await page.getByRole("listitem").filter({ hasText: "event.ics" }).count()).toBe(1);
    await page.screenshot({ path: "/tmp/mailbox-message.png", fullPage: true });

    await page.goto(`${portal.url}/staff/mailbox/templates?template=survey-invitation&locale=en`);
    await expect.poll(() => frame.locator("body").textContent()).toContain("Unsubscribe");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: "/tmp/mailbox-templates-phone.png", fullPage: true });
    await context.close();
  });
});
