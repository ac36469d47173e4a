// Browser tests: the built portal as a child process on a free port with its own data folder,
// driven by Debian's Chromium through playwright-core (no browser download).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { E2E_SECRET } from "../setup/e2e-global";

/** The demo's loyalty survey in either language (the demo also holds a town meeting's feedback survey). */
export const DEMO_SURVEY = /Tell us what you think of our brand|当ブランドについてのアンケート/;

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Portal {
  url: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** `serve` on an empty database, or `demo`: demo data, the demo admin (admin@example.com / demo-loyalty-portal) and demo mail. */
export async function startPortal(env: Record<string, string> = {}, command: "serve" | "demo" = "serve"): Promise<Portal> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-e2e-"));
  // The demo seeded once per run (tests/setup/e2e-global.ts): copied, then served, reusing its data.
  const template = command === "demo" && Object.keys(env).length === 0 ? inject("demoTemplate") : null;
  if (template) fs.cpSync(template.dir, dataDir, { recursive: true });
  const child: ChildProcess = spawn(path.resolve("node_modules/.bin/tsx"), ["app/cli/portal.ts", command], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      SESSION_SECRET: E2E_SECRET,
      DATA_DIR: dataDir,
      PORT: template ? String(template.port) : "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = template?.output ?? "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    // The demo loads 5,000 customers first: on a busy machine that alone can take a minute.
    const timer = setTimeout(() => reject(new Error(`portal did not start:\n${output}`)), 110_000);
    child.stdout!.on("data", () => {
      const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`portal exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    dataDir,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * The usual setup of a browser test file: a portal (`serve` on an empty database, or `demo`) and a
 * browser, started together before the file's tests and stopped after them. Read `.portal` and
 * `.browser` inside tests and hooks.
 */
export function usePortalAndBrowser(command: "serve" | "demo" = "serve", env: Record<string, string> = {}) {
  const running = {} as { portal: Portal; browser: Browser };
  beforeAll(async () => {
    [running.portal, running.browser] = await Promise.all([startPortal(env, command), launchBrowser()]);
  });
  afterAll(async () => {
    await running.browser?.close();
    await running.portal?.stop();
  });
  return running;
}

/** A browser context signed in as the demo admin of a portal started with `startPortal({}, "demo")`, in English unless told. */
export async function signInDemoAdmin(browser: Browser, portal: Portal, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ locale: "en-US", ...options });
  const page = await context.newPage();
  await page.goto(`${portal.url}/login`);
  await page.getByLabel(/^(Email|メールアドレス)$/).fill("admin@example.com");
  await page.getByLabel(/^(Password|パスワード)$/).fill("demo-loyalty-portal");
  await page.getByRole("button", { name: /^(Sign in|ログイン)$/ }).click();
  await page.waitForURL(`${portal.url}/staff`);
  return { context, page };
}

/**
 * Every console error and uncaught exception of the page (React's hydration errors #418/#423 among them),
 * with its address. Not the browser's note that the document itself answered 4xx: a not-found page is
 * meant to (any other resource that fails still counts).
 */
export function watchConsole(page: Page) {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    if (m.text().startsWith("Failed to load resource") && m.location().url === page.url()) return;
    errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
  return errors;
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
type AxeResult = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };

/**
 * What is wrong with the page as it stands: wider than the viewport (the page itself must never scroll
 * sideways; wide tables scroll inside their card) and, unless `axe` is false, axe-core's serious or
 * critical findings. With a `screenshotDir` a full-page screenshot is saved there as `<name>.png` first.
 */
export async function auditPage(page: Page, name: string, { screenshotDir, axe = true }: { screenshotDir?: string; axe?: boolean } = {}) {
  const problems: string[] = [];
  if (screenshotDir) await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
  // Against the viewport asked for, not window.innerWidth: a phone zooms out to fit a page that is too
  // wide, and innerWidth grows with it.
  const width = page.viewportSize()!.width;
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  if (wide > width) problems.push(`${name}: ${wide}px wide`);
  if (!axe) return problems;
  // Evaluated through the DevTools protocol: an inline script tag would be refused by the page's CSP.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<AxeResult> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  });
  for (const v of violations) problems.push(`${name}: axe ${v}`);
  return problems;
}

/**
 * Signs the demo admin in at each width in each language and audits every path (see auditPage), one
 * context per language and width (under 800 px a phone: touch, and zooming out when a page is too wide),
 * all in one browser. Returns the problems, console errors included; empty when all is well.
 * axe-core, the slow part, runs at every width in the first language and on the phone in the others:
 * the desktop page differs between languages only in its words, the phone's is where they overflow.
 */
export async function walkStaffPages(
  browser: Browser,
  portal: Portal,
  paths: string[],
  {
    locales = ["en-US", "ja-JP"],
    widths = [1280, 390],
    screenshotDir,
  }: { locales?: string[]; widths?: number[]; screenshotDir?: string } = {},
) {
  if (screenshotDir) fs.mkdirSync(screenshotDir, { recursive: true });
  const runs = locales.flatMap((locale) => widths.map((width) => ({ locale, width })));
  const found = await Promise.all(
    runs.map(async ({ locale, width }) => {
      const problems: string[] = [];
      const phone = width < 800;
      const { context, page } = await signInDemoAdmin(browser, portal, { locale, viewport: { width, height: 900 }, isMobile: phone, hasTouch: phone });
      const errors = watchConsole(page);
      for (const pagePath of paths) {
        await page.goto(`${portal.url}${pagePath}`);
        await page.waitForLoadState("networkidle");
        // Hydration runs in a transition: let it finish before looking (and before its errors are counted).
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))));
        const name = `${locale}-${width}-${pagePath.replace(/[^\w]+/g, "_")}`;
        const lang = await page.evaluate(() => document.documentElement.lang);
        if (lang !== locale.slice(0, 2)) problems.push(`${name}: in language "${lang}"`);
        problems.push(...(await auditPage(page, name, { screenshotDir, axe: phone || locale === locales[0] })));
      }
      for (const e of errors) problems.push(`${locale}-${width}: console ${e}`);
      await context.close();
      return problems;
    }),
  );
  return found.flat();
}

/** The newest message of a template to an address in the staff mailbox: the URL of its main button. */
export async function linkFromMailbox(page: Page, base: string, template: string, to: string, pattern: RegExp) {
  let href: string | null = null;
  await expect
    .poll(
      async () => {
        await page.goto(`${base}/staff/mailbox?template=${template}&q=${encodeURIComponent(to)}`);
        const first = page.getByTestId("mailbox").locator("tbody tr a").first();
        if ((await first.count()) === 0) return null;
        await first.click();
        await page.waitForURL(/\/staff\/mailbox\/\d+$/);
        const links = await page.frameLocator("[data-testid=mail-frame]").locator("a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
        href = links.find((l) => pattern.test(l)) ?? null;
        return href;
      },
      { timeout: 30_000 },
    )
    .not.toBeNull();
  return href!;
}
