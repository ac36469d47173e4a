// The ambassador programme in a browser, on the demo (issue 17): staff invite a customer; the invitee
// accepts from the link in the email, read from the local mailbox; signs in to the member area with a
// magic link from the mailbox, downloads the certificate PDF; the verify page says valid; staff revoke
// the certificate; the verify page says revoked. Then the programme's pages fit a phone, log no console
// error and have no serious or critical axe finding, at 1280 and 390 px in English and Japanese.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { linkFromMailbox, signInDemoAdmin, usePortalAndBrowser, walkStaffPages, watchConsole, auditPage } from "./support";

describe("the ambassador programme in the browser", () => {
  const e2e = usePortalAndBrowser("demo");
  // Left by the first test for the second's walk: the member's signed-in browser state, their
  // certificate's code and the (now accepted) invitation link.
  let memberRun: { state: Awaited<ReturnType<import("playwright-core").BrowserContext["storageState"]>>; code: string; joinUrl: string } | null = null;

  it("invite → accept from the emailed link → member area → PDF → verify says valid → revoke → verify says revoked", async () => {
    const { context, page } = await signInDemoAdmin(e2e.browser, e2e.portal);
    const errors = watchConsole(page);
    expect(e2e.portal.output()).toMatch(/Demo ambassador programme: \d+ members/);

    // A reachable customer who is neither a member nor invited: one of the co-creation partners (the
    // list keeps members, so the review step says who can be invited).
    await page.goto(`${e2e.portal.url}/staff/candidates?list=cocreation&view=all`);
    const ids = await page.locator("[data-testid=candidates] tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-customer")).filter(Boolean) as string[]);
    expect(ids.length).toBeGreaterThan(0);
    let externalId: string | null = null;
    for (const id of ids.slice(-20)) {
      await page.goto(`${e2e.portal.url}/staff/ambassadors/invite`);
      await page.getByLabel("Customers (customer ids)").fill(id);
      await page.getByLabel("Personal message (optional)").fill("We would love to have you.");
      await page.getByRole("button", { name: "Review" }).click();
      await page.locator("[data-testid=confirm-panel], .alert").first().waitFor();
      if ((await page.getByRole("button", { name: /Send 1 invitation/ }).count()) === 1) {
        externalId = id;
        break;
      }
    }
    expect(externalId, "no co-creation partner could be invited").toBeTruthy();
    await page.getByRole("button", { name: /Send 1 invitation/ }).click();
    await page.waitForURL(/\/staff\/ambassadors\?invited=1/);

    const address = await emailOf(page, e2e.portal.url, externalId!);
    const joinUrl = await linkFromMailbox(page, e2e.portal.url, "ambassador-invitation", address, /\/join\//);

    // The invitee, in a browser of their own.
    const invitee = await e2e.browser.newContext({ locale: "ja-JP" });
    const guest = await invitee.newPage();
    const guestErrors = watchConsole(guest);
    await guest.goto(joinUrl);
    await guest.waitForLoadState("networkidle");
    expect(await auditPage(guest, "join-open-form", { screenshotDir: process.env.E2E_SHOTS })).toEqual([]);
    await guest.getByLabel("認定証に記載するお名前").fill("テスト花子");
    await guest.getByLabel("プログラム規約を読み、同意します").check();
    await guest.getByRole("button", { name: "同意して参加する" }).click();
    await guest.getByText("認定証を発行しました").first().waitFor();
    // The same link again: already accepted, nothing new.
    await guest.goto(joinUrl);
    await guest.getByText("すでにお受けいただいています").waitFor();

    // The member area: a magic link from the mailbox.
    await guest.goto(`${e2e.portal.url}/m`);
    await guest.getByLabel("メールアドレス").fill(address);
    await guest.getByRole("button", { name: "ログイン用リンクを送る" }).click();
    await guest.getByText("ログイン用リンクをお送りしました").waitFor();
    const signIn = await linkFromMailbox(page, e2e.portal.url, "magic-link", address, /\/m\/sign-in\//);
    await guest.goto(signIn);
    await guest.getByText("テスト花子さん、ようこそ").waitFor();
    const [download] = await Promise.all([guest.waitForEvent("download"), guest.getByRole("link", { name: "PDFをダウンロード" }).click()]);
    const pdf = await download.path().then((p) => import("node:fs").then((fs) => fs.readFileSync(p!)));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const code = (await guest.locator(".member-content code").first().innerText()).trim();

    const verify = await invitee.newPage();
    await verify.goto(`${e2e.portal.url}/verify/${code}`);
    await verify.locator(".verify-status[data-status=valid]").waitFor();

    // Staff revoke it; the verify page says so.
    await page.goto(`${e2e.portal.url}/staff/ambassadors`);
    await page.getByRole("link", { name: "テスト花子" }).click();
    await page.getByLabel("Reason for revoking").fill("Test of revocation");
    await page.getByRole("button", { name: "Revoke the certificate" }).click();
    await page.getByText("The certificate was revoked.").waitFor();
    await verify.reload();
    await verify.locator(".verify-status[data-status=revoked]").waitFor();
    const status = await (await verify.request.get(`${e2e.portal.url}/verify/${code}/status.json`)).json();
    expect(status.status).toBe("revoked");

    expect(errors).toEqual([]);
    expect(guestErrors).toEqual([]);
    memberRun = { state: await invitee.storageState(), code, joinUrl };
    await invitee.close();
    await context.close();
  }, 300_000);

  it("fit a phone, log no console error and have no serious axe finding, in English and Japanese", async () => {
    const { context, page } = await signInDemoAdmin(e2e.browser, e2e.portal);
    await page.goto(`${e2e.portal.url}/staff/ambassadors`);
    const member = await page.locator("table a[href^='/staff/ambassadors/']").first().getAttribute("href");
    await context.close();
    const paths = ["/staff/ambassadors", "/staff/ambassadors?status=alumni", "/staff/ambassadors/invite", member!];
    const problems = await walkStaffPages(e2e.browser, e2e.portal, paths, { screenshotDir: process.env.E2E_SHOTS });
    // The public pages, signed out.
    for (const locale of ["en-US", "ja-JP"]) {
      for (const width of [1280, 390]) {
        const guest = await e2e.browser.newContext({ locale, viewport: { width, height: 900 }, isMobile: width < 800 });
        const p = await guest.newPage();
        const errors = watchConsole(p);
        for (const path of ["/m", "/verify", "/join/not-a-real-token", "/verify/AMB-NOT-A-CODE", ...(memberRun ? [`/verify/${memberRun.code}`, new URL(memberRun.joinUrl).pathname] : [])]) {
          await p.goto(`${e2e.portal.url}${path}`);
          await p.waitForLoadState("networkidle");
          problems.push(...(await auditPage(p, `${locale}-${width}-${path.replace(/[^\w]+/g, "_")}`, { screenshotDir: process.env.E2E_SHOTS })));
        }
        for (const e of errors) if (!/404|410/.test(e)) problems.push(`${locale}-${width}: console ${e}`);
        await guest.close();
        // The member area signed in, as the member of the first test.
        if (memberRun) {
          const signedIn = await e2e.browser.newContext({ locale, viewport: { width, height: 900 }, isMobile: width < 800, storageState: memberRun.state });
          const m = await signedIn.newPage();
          const memberErrors = watchConsole(m);
          await m.goto(`${e2e.portal.url}/m`);
          await m.waitForLoadState("networkidle");
          problems.push(...(await auditPage(m, `${locale}-${width}-member-home`, { screenshotDir: process.env.E2E_SHOTS })));
          for (const e of memberErrors) problems.push(`${locale}-${width} member: console ${e}`);
          await signedIn.close();
        }
      }
    }
    expect(problems).toEqual([]);
  }, 600_000);
});

/** A customer's email, from their page in the staff area. */
async function emailOf(page: Page, base: string, externalId: string) {
  await page.goto(`${base}/staff/customers?q=${encodeURIComponent(externalId)}`);
  await page.locator("table tbody tr a").first().click();
  const text = await page.locator("main").innerText();
  const match = text.match(/[\w.+-]+@[\w.-]+\.\w+/);
  expect(match, text).toBeTruthy();
  return match![0];
}
