// Town meetings in a browser, on the demo (issue 18): staff create an event with one seat, invite two
// stakeholders and publish; the first answers "attend" from the link in their email and gets the seat,
// the second is waitlisted as number 1; the first gives the seat up, the second moves up and the
// promotion email is in the mailbox; at the door, staff find the second by name and check them in, and a
// second check-in says when and by whom. Then the event pages fit a phone, log no console error and have
// no serious or critical axe finding, at 1280 and 390 px in English and Japanese.
import { describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { auditPage, linkFromMailbox, signInDemoAdmin, usePortalAndBrowser, walkStaffPages, watchConsole } from "./support";

async function guestPage(browser: Browser, locale: string) {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  page.on("dialog", (d) => void d.accept());
  return { context, page, errors: watchConsole(page) };
}

describe("town meetings in the browser", () => {
  const e2e = usePortalAndBrowser("demo");
  let run: { eventId: string; confirmedUrl: string } | null = null;

  it("RSVP from the emailed link → waitlisted → a seat frees → promoted (email) → checked in by name", async () => {
    const { context, page } = await signInDemoAdmin(e2e.browser, e2e.portal);
    const errors = watchConsole(page);
    const base = e2e.portal.url;

    // A new event with one seat.
    await page.goto(`${base}/staff/events/new`);
    await page.getByLabel("Title (English)").fill("E2E town meeting");
    await page.getByLabel("Title (Japanese)").fill("E2E タウンミーティング");
    await page.getByLabel("Place").fill("Shibuya, room 3");
    await page.getByLabel("Seats", { exact: true }).fill("0");
    await page.getByRole("button", { name: "Create the draft" }).click();
    await page.getByText("Enter a whole number of seats, 1 or more.").waitFor();
    await page.getByLabel("Seats", { exact: true }).fill("1");
    await page.getByRole("button", { name: "Create the draft" }).click();
    await page.waitForURL(/\/staff\/events\/\d+\?created=1$/);
    const eventId = /\/staff\/events\/(\d+)/.exec(page.url())![1]!;

    // Two stakeholders, one by one, while it is a draft.
    const people = [
      { name: "Aiko Door", email: "aiko.e2e@example.com", kind: "franchisee", locale: "en" },
      { name: "Ben Waiting", email: "ben.e2e@example.com", kind: "supplier", locale: "en" },
    ];
    for (const p of people) {
      await page.goto(`${base}/staff/events/${eventId}/invite`);
      await page.getByLabel("Name", { exact: true }).fill(p.name);
      await page.getByLabel("Email", { exact: true }).fill(p.email);
      await page.getByLabel("Type", { exact: true }).selectOption(p.kind);
      await page.getByLabel("Language", { exact: true }).selectOption(p.locale);
      await page.getByRole("button", { name: "Invite", exact: true }).click();
      await page.getByText(`${p.name} is invited.`).waitFor();
    }

    // Publishing asks first, saying how many invitations go out.
    await page.goto(`${base}/staff/events/${eventId}`);
    await page.waitForLoadState("networkidle");
    await page.getByRole("button", { name: "Publish and send invitations" }).click();
    await page.getByText("2 invitations waiting to go are emailed").waitFor();
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.waitForURL(/published=2/);

    // Aiko answers first and gets the seat; Ben is waitlisted as number 1.
    const aikoUrl = await linkFromMailbox(page, base, "event-invitation", people[0]!.email, /\/e\//);
    const benUrl = await linkFromMailbox(page, base, "event-invitation", people[1]!.email, /\/e\//);
    const aiko = await guestPage(e2e.browser, "en-US");
    await aiko.page.goto(aikoUrl);
    await aiko.page.getByLabel("I will attend").check();
    await aiko.page.getByLabel("Notes (accessibility, diet…)").fill("Wheelchair access, please");
    await aiko.page.getByRole("button", { name: "Send my answer" }).click();
    await aiko.page.getByText("You have a seat.").waitFor();
    await expect.poll(() => aiko.page.locator("img.ticket-qr").count()).toBe(1);
    const ics = await aiko.page.request.get(new URL("calendar.ics", aikoUrl.replace(/\/?$/, "/")).href);
    expect(ics.status()).toBe(200);
    expect(await ics.text()).toMatch(/DTSTART:\d{8}T\d{6}Z/);

    const ben = await guestPage(e2e.browser, "en-US");
    await ben.page.goto(benUrl);
    await ben.page.getByText("All seats are taken").waitFor();
    await ben.page.getByLabel("I will attend").check();
    await ben.page.getByRole("button", { name: "Send my answer" }).click();
    await ben.page.getByText("You are on the waitlist: number 1.").waitFor();

    // Aiko gives her seat up: Ben moves up and is emailed.
    await aiko.page.getByRole("button", { name: "Give up my place" }).click();
    await aiko.page.getByText("You gave up your place.").waitFor();
    const promoted = await linkFromMailbox(page, base, "waitlist-promotion", people[1]!.email, /\/e\//);
    await ben.page.goto(promoted);
    await ben.page.getByText("You have a seat.").waitFor();

    // At the door: found by name, checked in once; the second time says when and by whom.
    await page.goto(`${base}/staff/events/${eventId}/check-in?q=${encodeURIComponent("Ben")}`);
    const row = page.locator("[data-testid=door-search] li, [data-testid=door-search] tr").filter({ hasText: "Ben Waiting" });
    await row.getByRole("button").first().click();
    await page.locator("[data-testid=door-result][data-ok=true]").filter({ hasText: "Ben Waiting" }).waitFor();
    await page.goto(`${base}/staff/events/${eventId}/check-in?q=${encodeURIComponent("Ben")}`);
    const again = page.locator("[data-testid=door-search] li, [data-testid=door-search] tr").filter({ hasText: "Ben Waiting" });
    if ((await again.getByRole("button").count()) > 0) {
      await again.getByRole("button").first().click();
      await page.locator("[data-testid=door-result][data-ok=false]").waitFor();
    }
    await page.goto(`${base}/staff/events/${eventId}?status=checked_in`);
    await page.getByText("Ben Waiting").waitFor();

    expect(errors).toEqual([]);
    expect(aiko.errors).toEqual([]);
    expect(ben.errors).toEqual([]);
    run = { eventId, confirmedUrl: new URL(promoted).pathname };
    await aiko.context.close();
    await ben.context.close();
    await context.close();
  }, 300_000);

  it("fit a phone, log no console error and have no serious axe finding, in English and Japanese", async () => {
    const { context, page } = await signInDemoAdmin(e2e.browser, e2e.portal);
    await page.goto(`${e2e.portal.url}/staff/events`);
    const links = await page.locator("table a[href^='/staff/events/']").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    await context.close();
    const demo = links.find((l) => l !== `/staff/events/${run?.eventId}`) ?? links[0]!;
    const paths = ["/staff/events", "/staff/events/new", ...links.slice(0, 3).flatMap((l) => [l, `${l}/report`]), `${demo}/invite`, `${demo}/check-in`];
    const problems = await walkStaffPages(e2e.browser, e2e.portal, [...new Set(paths)], { screenshotDir: process.env.E2E_SHOTS });
    for (const locale of ["en-US", "ja-JP"]) {
      for (const width of [1280, 390]) {
        const guest = await e2e.browser.newContext({ locale, viewport: { width, height: 900 }, isMobile: width < 800 });
        const p = await guest.newPage();
        const errors = watchConsole(p);
        for (const path of ["/e/not-a-real-token", ...(run ? [run.confirmedUrl] : [])]) {
          await p.goto(`${e2e.portal.url}${path}`);
          await p.waitForLoadState("networkidle");
          problems.push(...(await auditPage(p, `${locale}-${width}-${path.replace(/[^\w]+/g, "_").slice(0, 40)}`, { screenshotDir: process.env.E2E_SHOTS })));
        }
        for (const e of errors) if (!/404|410/.test(e)) problems.push(`${locale}-${width}: console ${e}`);
        await guest.close();
      }
    }
    expect(problems).toEqual([]);
  }, 600_000);
});
