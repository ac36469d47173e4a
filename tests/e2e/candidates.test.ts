// The candidate lists in a browser, on the demo data (issue 16 item 3): the demo admin shortlists a
// candidate from the top-5 % view and finds them on the shortlist; the pages fit a phone, log no console
// error and have no serious or critical axe-core finding, at 1280 and 390 px in English and Japanese
// (E2E_SHOTS=<folder> saves a screenshot of each).
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { auditPage, signInDemoAdmin, usePortalAndBrowser, watchConsole } from "./support";

describe("candidate lists", () => {
  const e2e = usePortalAndBrowser("demo");

  it("shortlists a candidate from the top-5 % view and shows them on the shortlist", async () => {
    const { context, page } = await signInDemoAdmin(e2e.browser, e2e.portal);
    const errors = watchConsole(page);
    const rows = page.locator("[data-testid=candidates] tbody tr");
    // The ambassador list first (the default); the co-creation list when the demo has no ambassador.
    let list = "ambassador";
    await page.goto(`${e2e.portal.url}/staff/candidates`);
    expect(await page.getByRole("link", { name: "Top 5 %" }).getAttribute("aria-current")).toBe("page");
    if ((await rows.count()) === 0) {
      list = "cocreation";
      await page.goto(`${e2e.portal.url}/staff/candidates?list=cocreation`);
    }
    expect(await rows.count(), `the demo has no ${list} candidate:\n${await page.locator("main").innerText()}`).toBeGreaterThan(0);
    await page.getByText(/One to 5 %/).waitFor();
    const row = rows.first();
    const customer = await row.getAttribute("data-customer");
    // The reasons are words, not keys.
    const reasons = await row.locator("td").nth(3).innerText();
    expect(reasons).toMatch(/score \d/);
    expect(reasons).not.toMatch(/candidates\.|cpm\./);
    await row.getByRole("button", { name: "Shortlist" }).click();
    await page.getByText("Added to the shortlist.").waitFor();
    await page.locator(`[data-testid=candidates] tbody tr[data-customer="${customer}"]`).getByText("Shortlisted").waitFor();

    await page.getByTestId("tab-shortlist").click();
    await page.waitForURL(/tab=shortlist/);
    const shortlisted = page.locator(`[data-testid=candidates] tbody tr[data-customer="${customer}"]`);
    expect(await shortlisted.count()).toBe(1);
    await shortlisted.getByRole("button", { name: "Take off the shortlist" }).waitFor();
    // The hand-off to a survey send names the shortlist.
    const handOff = await page.getByRole("link", { name: "Send the shortlist a survey" }).getAttribute("href");
    expect(handOff).toBe(`/staff/surveys?recipients=shortlist&shortlist=${list}`);
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);

  it("fit a phone, log no console error and have no serious axe finding, in English and Japanese", async () => {
    const paths = ["/staff/candidates", "/staff/candidates?list=cocreation&view=all", "/staff/candidates?tab=shortlist", "/staff/candidates?tab=excluded"];
    const problems: string[] = [];
    if (process.env.E2E_SHOTS) fs.mkdirSync(process.env.E2E_SHOTS, { recursive: true });
    for (const locale of ["en-US", "ja-JP"]) {
      for (const width of [1280, 390]) {
        const phone = width < 800;
        const { context, page } = await signInDemoAdmin(e2e.browser, e2e.portal, { locale, viewport: { width, height: 900 }, isMobile: phone, hasTouch: phone });
        const errors = watchConsole(page);
        for (const path of paths) {
          await page.goto(`${e2e.portal.url}${path}`);
          await page.waitForLoadState("networkidle");
          await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))));
          const name = `${locale}-${width}-${path}`;
          const lang = await page.evaluate(() => document.documentElement.lang);
          if (lang !== locale.slice(0, 2)) problems.push(`${name}: in language "${lang}"`);
          // The dismiss form open too, on the first row that has one.
          const dismiss = page.locator("details.candidate-dismiss summary").first();
          if ((await dismiss.count()) > 0) await dismiss.click();
          problems.push(...(await auditPage(page, name.replace(/[^\w]+/g, "_"), { screenshotDir: process.env.E2E_SHOTS })));
        }
        for (const e of errors) problems.push(`${locale}-${width}: console ${e}`);
        await context.close();
      }
    }
    expect(problems).toEqual([]);
  }, 600_000);
});
