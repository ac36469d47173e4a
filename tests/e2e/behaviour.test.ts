import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, startPortal, type Portal } from "./support";

const admin = { name: "Aiko Tanaka", email: "aiko@example.com", password: "a long admin password" };

function daysAgo(n: number) {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

describe("importing purchases in the browser", () => {
  let portal: Portal;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-e2e-files-"));
    [portal, browser] = await Promise.all([startPortal(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const cell = (page: Page, segment: string) => page.getByTestId(`cell-${segment}`).locator(".cpm-count").textContent();

  async function upload(page: Page, name: string, lines: string[]) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, lines.join("\n"));
    await page.goto(`${portal.url}/staff/imports`);
    await page.setInputFiles("input[type=file]", file);
    await page.getByRole("button", { name: "Upload and import" }).click();
    await page.waitForURL(/\/staff\/imports\/\d+$/);
    await page.getByRole("heading", { name }).waitFor({ timeout: 30_000 });
  }

  it("uploads a file, sees the report and the matrix change", async () => {
    const page = await browser.newPage({ locale: "en-US" });
    await page.goto(`${portal.url}/setup`);
    await page.getByLabel("Your name").fill(admin.name);
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Create administrator" }).click();
    await page.waitForURL(`${portal.url}/staff`);

    await page.goto(`${portal.url}/staff/behaviour`);
    await page.getByText("No purchases yet").waitFor();

    // Three new customers, one purchase each: three first-time actives.
    await upload(page, "first.csv", [
      "customer_id,purchased_at,amount,order_id",
      `E1,${daysAgo(20)},1200,E-1`,
      `E2,${daysAgo(15)},800,E-2`,
      `E3,${daysAgo(10)},2500,E-3`,
    ]);
    await page.getByText("Imported: 3 new").waitFor();
    await page.goto(`${portal.url}/staff/behaviour`);
    expect(await cell(page, "first_active")).toBe("3");
    expect(await cell(page, "toddler_active")).toBe("0");

    // A file with a bad row is refused as a whole, and says where. One row with two bad cells is one
    // invalid row, listed once with both errors (issue 13 item 3).
    await upload(page, "second.csv", ["customer_id,purchased_at,amount,order_id", `E1,${daysAgo(5)},900,E-4`, `E2,2024-02-30,lots,E-5`]);
    await page.getByText("1 row is invalid, so nothing was written.").waitFor();
    const invalidRows = page.getByTestId("import-errors").locator("tbody tr");
    expect(await invalidRows.count()).toBe(1);
    expect(await invalidRows.getByRole("rowheader").textContent()).toBe("3");
    expect(await invalidRows.locator("li").allTextContents()).toEqual([expect.stringMatching(/^amount “lots”Not an amount/), expect.stringMatching(/^purchased_at “2024-02-30”Not a date/)]);
    expect(await page.getByText(/^Invalid rows \(1 of 1 shown\)$/).count()).toBe(1);
    await page.goto(`${portal.url}/staff/behaviour`);
    expect(await cell(page, "first_active")).toBe("3");

    // Fixed: E1 and E2 come back, so they become toddlers.
    await upload(page, "second-fixed.csv", ["customer_id,purchased_at,amount,order_id", `E1,${daysAgo(5)},900,E-4`, `E2,${daysAgo(4)},700,E-5`]);
    await page.getByText("Imported: 2 new").waitFor();
    await page.goto(`${portal.url}/staff/behaviour`);
    expect(await cell(page, "first_active")).toBe("1");
    expect(await cell(page, "toddler_active")).toBe("2");

    // The cell links to its customers.
    await page.getByTestId("cell-toddler_active").click();
    await page.waitForURL(/segment=toddler_active/);
    // The URL changes as the navigation commits; the list renders a moment later.
    await expect
      .poll(async () => (await page.getByTestId("customers").locator("tbody tr").allTextContents()).map((t) => t.match(/E\d/)?.[0]).sort())
      .toEqual(["E1", "E2"]);

    // Looking back: Settings fix the analysis date before E1 and E2 came back; the behaviour pages say
    // so and show the segments as of that day.
    await page.goto(`${portal.url}/staff/settings`);
    const analysis = page.getByTestId("analysis-date");
    await analysis.getByLabel("A fixed date").check();
    await analysis.getByLabel("Date", { exact: true }).fill(daysAgo(8));
    await analysis.getByRole("button", { name: "Save and recompute" }).click();
    await page.getByText("Saved.").waitFor();
    await page.goto(`${portal.url}/staff/behaviour/cohorts`);
    await expect.poll(() => page.getByTestId("metrics-as-of").textContent()).toMatch(/^Metrics as of .+, fixed in Settings$/);
    await page.getByTestId("metrics-as-of").getByRole("link", { name: "fixed in Settings" }).waitFor();
    await page.goto(`${portal.url}/staff/behaviour`);
    expect(await cell(page, "first_active")).toBe("3");
    expect(await cell(page, "toddler_active")).toBe("0");
    await page.goto(`${portal.url}/staff/settings`);
    await analysis.getByLabel("Today (default)").check();
    await analysis.getByRole("button", { name: "Save and recompute" }).click();
    await page.getByText("Saved.").waitFor();
    await page.goto(`${portal.url}/staff/behaviour`);
    await expect.poll(() => page.getByTestId("metrics-as-of").textContent()).toMatch(/^Metrics as of .+ \(today\)\.$/);
    expect(await cell(page, "toddler_active")).toBe("2");
    await page.close();
  });
});
