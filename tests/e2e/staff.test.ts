import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { usePortalAndBrowser } from "./support";

const admin = { name: "Aiko Tanaka", email: "aiko@example.com", password: "a long admin password" };
const viewer = { name: "Ben Viewer", email: "ben@example.com", password: "a long viewer password" };

describe("staff in the browser", () => {
  const e2e = usePortalAndBrowser();

  async function signIn(page: Page, who: { email: string; password: string }) {
    await page.goto(`${e2e.portal.url}/login`);
    await page.getByLabel(/Email|メールアドレス/).fill(who.email);
    await page.getByLabel(/Password|パスワード/).fill(who.password);
    await page.getByRole("button", { name: /Sign in|ログイン/ }).click();
  }

  it("serves its icons and logs a missing page as one line, without a stack", async () => {
    const icon = await fetch(`${e2e.portal.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toMatch(/icon/);
    const manifest = (await (await fetch(`${e2e.portal.url}/manifest.webmanifest`)).json()) as { icons: { src: string; sizes: string }[] };
    expect(manifest.icons.map((i) => i.sizes)).toEqual(["any", "192x192", "512x512"]);
    for (const { src } of manifest.icons) expect((await fetch(`${e2e.portal.url}${src}`)).status, src).toBe(200);

    const before = e2e.portal.output().length;
    expect((await fetch(`${e2e.portal.url}/no-such-page`)).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(e2e.portal.output().slice(before).trim().split("\n")).toEqual(["404 GET /no-such-page"]);
  });

  it("logs a method a route does not take as one line too", async () => {
    const before = e2e.portal.output().length;
    // A post to a route without an action: 405, one line, no stack.
    const response = await fetch(`${e2e.portal.url}/healthz`, { method: "POST", headers: { Origin: e2e.portal.url } });
    expect(response.status).toBe(405);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(e2e.portal.output().slice(before).trim().split("\n")).toEqual(["405 POST /healthz"]);
  });

  it("runs only the portal's own scripts: a nonce-based Content-Security-Policy on every page, HSTS in production", async () => {
    const response = await fetch(`${e2e.portal.url}/login`);
    const policy = response.headers.get("content-security-policy")!;
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]{24})'/.exec(policy)?.[1];
    expect(nonce, policy).toBeDefined();
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-ancestors 'self'");
    expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    // Every inline script Remix wrote carries this response's nonce; the next response has another.
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) expect(attributes, attributes).toMatch(/\bsrc=|nonce="([^"]+)"/);
    expect(scripts.filter((a) => !/\bsrc=/.test(a)).every((a) => a.includes(`nonce="${nonce}"`))).toBe(true);
    const next = (await fetch(`${e2e.portal.url}/login`)).headers.get("content-security-policy")!;
    expect(next).not.toContain(nonce);

    // In the browser: the page hydrates (Remix's router starts) and reports no violation, while a
    // script injected without the nonce does not run.
    const context = await e2e.browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    const violations: string[] = [];
    await page.exposeFunction("reportViolation", (v: string) => void violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => (window as unknown as { reportViolation(v: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(`${e2e.portal.url}/login`);
    await page.waitForFunction(() => "__remixRouter" in window);
    expect(violations).toEqual([]);
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.injected = true";
      document.body.append(script);
    });
    await expect.poll(() => violations.length).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
    await context.close();
  });

  it("sets up the first admin, signs in, switches language, adds a viewer, signs out", async () => {
    const context = await e2e.browser.newContext({ locale: "en-US" });
    const page = await context.newPage();

    // An empty portal sends everyone to /setup.
    await page.goto(`${e2e.portal.url}/staff`);
    await page.waitForURL(/\/setup$/);
    await page.getByLabel("Your name").fill(admin.name);
    await page.getByLabel("Email").fill(admin.email);
    // A common password is refused in the browser with the estimator's reason beside the field.
    await page.getByLabel("Password").fill("password1234");
    await page.getByRole("button", { name: "Create administrator" }).click();
    // (The estimator's dictionaries download on this first check: give it time.)
    await page.getByText(/too similar to a commonly used password/).waitFor({ timeout: 20_000 });
    expect(page.url()).toMatch(/\/setup$/);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Create administrator" }).click();
    await page.waitForURL(`${e2e.portal.url}/staff`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Dashboard");

    // The session cookie is httpOnly and SameSite=Lax.
    const [cookie] = (await context.cookies()).filter((c) => c.name === "portal_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });

    // Setup is gone for good.
    const setupAgain = await page.goto(`${e2e.portal.url}/setup`);
    expect(setupAgain?.status()).toBe(404);

    // Japanese and back.
    await page.goto(`${e2e.portal.url}/staff`);
    await page.getByTestId("language-switch").click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("ダッシュボード");
    expect(await page.locator("html").getAttribute("lang")).toBe("ja");
    await page.getByTestId("language-switch").click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Dashboard");

    // Add a viewer on the staff accounts page.
    await page.getByRole("link", { name: "Staff accounts" }).click();
    await page.waitForURL(/\/staff\/admin$/);
    await page.getByLabel("Name", { exact: true }).fill(viewer.name);
    await page.getByLabel("Email").fill(viewer.email);
    await page.getByLabel("Role", { exact: true }).selectOption("viewer");
    await page.getByLabel("Initial password").fill(viewer.password);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect.poll(() => page.getByRole("cell", { name: viewer.email }).count()).toBe(1);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${e2e.portal.url}/staff`);
    await page.waitForURL(/\/login\?redirectTo=%2Fstaff/);
    await context.close();
  });

  it("tells a wrong password the same as an unknown email", async () => {
    const page = await e2e.browser.newPage({ locale: "en-US" });
    await signIn(page, { email: admin.email, password: "wrong password" });
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent()).toMatch(/incorrect/i);
    const wrongPassword = await alert.textContent();
    await signIn(page, { email: "nobody@example.com", password: "wrong password" });
    await expect.poll(() => alert.textContent()).toBe(wrongPassword);
    await page.close();
  });

  it("keeps a viewer out of the staff admin page", async () => {
    const page = await e2e.browser.newPage({ locale: "en-US" });
    await signIn(page, viewer);
    await page.waitForURL(`${e2e.portal.url}/staff`);
    expect(await page.getByRole("link", { name: "Staff accounts" }).count()).toBe(0);
    const response = await page.goto(`${e2e.portal.url}/staff/admin`);
    expect(response?.status()).toBe(403);
    await page.close();
  });

  it("shows a missing staff page inside the frame, in the user's language, without hydration errors", async () => {
    // The admin chose English; the browser asks for Japanese.
    const page = await e2e.browser.newPage({ locale: "ja-JP" });
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    await signIn(page, admin);
    await page.waitForURL(`${e2e.portal.url}/staff`);
    const response = await page.goto(`${e2e.portal.url}/staff/no-such-page`);
    expect(response?.status()).toBe(404);
    await page.waitForLoadState("networkidle");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Page not found");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Customers" }).count()).toBe(1);
    expect(await page.getByTestId("user-chip").textContent()).toContain(admin.name);
    // A page whose loader fails inside /staff (a customer that does not exist) keeps the frame too.
    await page.goto(`${e2e.portal.url}/staff/customers/999999999`);
    await page.waitForLoadState("networkidle");
    expect(await page.getByRole("navigation", { name: "Main" }).count()).toBe(1);
    // Outside /staff the page still speaks the signed-in user's language.
    expect((await page.goto(`${e2e.portal.url}/no-such-page`))?.status()).toBe(404);
    await page.waitForLoadState("networkidle");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Page not found");
    // Chromium reports each 404 document as a failed resource; nothing else may be logged.
    const notFound = /^Failed to load resource: the server responded with a status of 404/;
    expect(errors.filter((e) => notFound.test(e))).toHaveLength(3);
    expect(errors.filter((e) => !notFound.test(e))).toEqual([]);
    await page.close();
  });

  it("works on a phone in the admin's own language: the menu opens from the top bar", async () => {
    const context = await e2e.browser.newContext({ locale: "ja-JP", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signIn(page, admin);
    await page.waitForURL(`${e2e.portal.url}/staff`);
    // The admin last chose English: the choice follows the account to a Japanese phone.
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Dashboard");
    await page.getByTestId("language-switch").click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("ダッシュボード");
    const settings = page.getByRole("link", { name: "設定" });
    expect(await settings.isVisible()).toBe(false);
    await page.getByRole("button", { name: "メニュー" }).click();
    await settings.click();
    await page.waitForURL(/\/staff\/settings$/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });
});
