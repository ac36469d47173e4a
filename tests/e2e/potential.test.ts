// The customer-potential page in Chromium on the demo data: the current models' parameters in words, a
// hold-out validation run from the form (its progress shown while it runs), then the calibration plot,
// its table and the error in words; axe-core and the page's width in both languages at 1280 and 390 px.
// E2E_SHOTS=<folder> saves a screenshot of each.
import { describe, expect, it } from "vitest";
import { signInDemoAdmin, usePortalAndBrowser, walkStaffPages, watchConsole } from "./support";

const PAGE = "/staff/behaviour/potential";

describe("customer potential", () => {
  const e2e = usePortalAndBrowser("demo");

  it("shows the parameters, runs a validation and shows the plot and the error in words", async () => {
    const { context, page } = await signInDemoAdmin(e2e.browser, e2e.portal, { viewport: { width: 1280, height: 900 } });
    const errors = watchConsole(page);
    await page.goto(`${e2e.portal.url}${PAGE}`);
    await page.waitForLoadState("networkidle");

    // The demo's refresh fitted both models: their facts and parameters, each with its meaning.
    const models = page.getByTestId("current-models");
    await models.waitFor();
    const text = await models.textContent();
    expect(text).toMatch(/r = [\d.,]+, α = [\d.,]+/);
    expect(text).toMatch(/one purchase day every α\/r ≈ [\d.,]+ days/);
    expect(text).toMatch(/the chance that a customer drops out is a\/\(a\+b\) ≈ [\d.]+%/);
    expect(text).toMatch(/p = [\d.,]+, q = [\d.,]+, γ = [\d.,]+/);
    expect(text).toMatch(/mean spend per purchase day is pγ\/\(q−1\) ≈ ¥[\d,]+/);
    expect(text).toMatch(/Log-likelihood-[\d,.]+/);

    // Whether the progress bar ever shows, watched from before the click (the page does not reload).
    await page.evaluate(() => {
      const w = window as unknown as { sawProgress: boolean };
      w.sawProgress = false;
      new MutationObserver(() => {
        if (document.querySelector("[data-testid=validation-progress] [role=progressbar]")) w.sawProgress = true;
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    const holdout = page.getByLabel("Hold-out days");
    expect(await holdout.inputValue()).toBe("90");
    // Refused in the browser, by name, before anything is posted.
    await holdout.fill("400");
    await page.getByRole("button", { name: "Run validation" }).click();
    await page.getByText("Hold-out days: enter whole days between 7 and 365.").waitFor();
    await holdout.fill("90");
    await page.getByRole("button", { name: "Run validation" }).click();
    const result = page.getByTestId("validation-result");
    await result.waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => (window as unknown as { sawProgress: boolean }).sawProgress)).toBe(true);

    expect(await page.getByTestId("validation-error").textContent()).toMatch(
      /^(good|fair|poor)\s*Over the 90 days held out, the model expected [\d,]+ purchase days and [\d,]+ happened: ([\d.]+% too (many|few)|just right) \((good|fair|poor)\)\.$/,
    );
    // The plot: two lines over the eight groups (0 … 6, 7+), and the same numbers in the table.
    await expect.poll(() => result.locator(".recharts-line").count()).toBe(2);
    expect(await result.getByRole("img", { name: /Purchase days per customer in the hold-out, predicted and actual/ }).count()).toBe(1);
    const rows = page.getByTestId("calibration-table").locator("tbody tr");
    expect(await rows.count()).toBe(8);
    expect(await rows.first().locator("td").first().textContent()).toBe("0");
    expect(await rows.last().locator("td").first().textContent()).toBe("7 or more");
    expect(await page.getByTestId("calibration-table").locator("tfoot td").first().textContent()).toBe("All customers");
    expect(errors).toEqual([]);
    await context.close();

    // With the result on it: fits a phone, and no serious axe finding, in both languages.
    const problems = await walkStaffPages(e2e.browser, e2e.portal, [PAGE], { screenshotDir: process.env.E2E_SHOTS });
    expect(problems).toEqual([]);
  }, 300_000);
});
