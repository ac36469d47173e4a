// Every staff page on the demo data, at 1280 and 390 px in English and Japanese: no console error
// (hydration errors included), the page never wider than the window (wide tables scroll inside their
// card), and no serious or critical axe-core finding. E2E_SHOTS=<folder> saves a screenshot of each.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { signInDemoAdmin, usePortalAndBrowser, walkStaffPages } from "./support";

describe("staff pages", () => {
  const e2e = usePortalAndBrowser("demo");

  it("fit a phone, log no console error and have no serious axe finding, in both languages", async () => {
    // One of each page that needs an id: the first in each list, and an import refused for a bad row
    // (nothing written, and its page shows the wide error table).
    const { context, page } = await signInDemoAdmin(e2e.browser, e2e.portal);
    const firstLink = async (listPath: string, selector: string) => {
      await page.goto(`${e2e.portal.url}${listPath}`);
      const href = await page.locator(selector).first().getAttribute("href");
      if (!href) throw new Error(`no link on ${listPath}`);
      return href;
    };
    const survey = await firstLink("/staff/surveys", "[data-testid=surveys] tbody tr a");
    const surveyId = survey.split("/").pop();
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    const customer = await firstLink("/staff/customers", "[data-testid=customers] tbody tr a");
    const message = await firstLink("/staff/mailbox", "[data-testid=mailbox] tbody tr a");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-e2e-files-"));
    const file = path.join(dir, "purchases-with-a-very-long-file-name-that-has-no-spaces-at-all.csv");
    fs.writeFileSync(file, ["customer_id,purchased_at,amount,order_id", "X1,2024-01-05,900,X-1", "X2,2024-01-06,lots,X-2"].join("\n"));
    await page.goto(`${e2e.portal.url}/staff/imports`);
    await page.setInputFiles("input[type=file]", file);
    await page.getByRole("button", { name: "Upload and import" }).click();
    await page.waitForURL(/\/staff\/imports\/\d+$/);
    await page.getByTestId("import-errors").waitFor({ timeout: 30_000 });
    const importPath = new URL(page.url()).pathname;
    fs.rmSync(dir, { recursive: true, force: true });
    await context.close();

    const paths = [
      "/staff",
      "/staff/behaviour",
      "/staff/behaviour/borders",
      "/staff/behaviour/cohorts",
      "/staff/behaviour/movement",
      "/staff/behaviour/potential",
      "/staff/loyalty",
      "/staff/customers",
      "/staff/customers?quadrant=latent_fan&minScore=70",
      "/staff/customers?segment=loyal_lapsed&sort=alive",
      "/staff/customers?sort=value&minAlive=50",
      customer,
      "/staff/imports",
      importPath,
      "/staff/mailbox",
      message,
      "/staff/mailbox/templates",
      "/staff/surveys",
      survey,
      `${survey}/edit`,
      `${survey}/results?cross=nps`,
      `${survey}/results?cross=segment&segment=none`,
      `/staff/surveys/compare?b=${surveyId}`,
      `${survey}/import`,
      "/staff/surveys/import",
      "/staff/surveys/reactions",
      "/staff/surveys?recipients=unscored",
      `${survey}?recipients=quadrant&quadrant=latent_fan`,
      `/staff/surveys/compare?a=${surveyId}&aTo=${daysAgo(60)}&b=${surveyId}&bFrom=${daysAgo(60)}`,
      "/staff/candidates",
      "/staff/ambassadors",
      "/staff/events",
      "/staff/settings",
      "/staff/admin",
      "/staff/nope",
    ];
    const problems = await walkStaffPages(e2e.browser, e2e.portal, paths, { screenshotDir: process.env.E2E_SHOTS });
    expect(problems).toEqual([]);
  }, 900_000);
});
