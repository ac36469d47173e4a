// The unsubscribe link: GET asks, POST (the button or a mail client's one-click) does it; forged or
// altered tokens change nothing.
import { sql } from "drizzle-orm";
import { SignJWT } from "jose";
import { describe, expect, it, vi } from "vitest";
import { queryRows } from "../../db/client.server";
import * as unsubscribe from "~/routes/u.$token";
import { localeCookie } from "~/utils/session.server";
import { unsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from "~/utils/unsubscribe.server";
import { useTestDatabase } from "../setup/db";
import { renderPage } from "../support/render";
import { BASE } from "../support/requests";

async function customer(consent = true, locale: string | null = null, name = "Hanako") {
  const [row] = await queryRows<{ id: number }>(
    sql`insert into customers (external_id, email, name, locale, marketing_consent)
        values (${name}, ${`${name.toLowerCase()}@example.com`}, ${name}, ${locale}, ${consent}) returning id`,
  );
  return Number(row!.id);
}

async function consent(id: number) {
  const [row] = await queryRows<{ marketing_consent: boolean; unsubscribed: boolean }>(
    sql`select marketing_consent, unsubscribed_at is not null as unsubscribed from customers where id = ${id}`,
  );
  return row;
}

function call(handler: typeof unsubscribe.loader | typeof unsubscribe.action, token: string, init?: RequestInit) {
  const request = new Request(`${BASE}/u/${token}`, init);
  return handler({ request, params: { token }, context: {} }) as Promise<unknown>;
}

async function status(result: unknown) {
  const value = result as { type?: string; init?: { status?: number } };
  return value?.type === "DataWithResponseInit" ? (value.init?.status ?? 200) : 200;
}

describe("unsubscribe links", () => {
  useTestDatabase();

  it("GET shows a confirm page and changes nothing; the confirm POST turns consent off", async () => {
    const id = await customer();
    // Both tokens are signed with the current second in them: hold the clock so they are made in the same one.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    let token: string;
    try {
      token = await unsubscribeToken(id);
      expect(await unsubscribeUrl(id)).toBe(`http://localhost:3000/u/${token}`);
    } finally {
      vi.useRealTimers();
    }

    const page = (await call(unsubscribe.loader, token)) as { valid: boolean; email: string; subscribed: boolean };
    expect(page).toMatchObject({ valid: true, email: "ha••••@example.com", subscribed: true });
    expect(await consent(id)).toEqual({ marketing_consent: true, unsubscribed: false });

    const form = new URLSearchParams();
    expect(await call(unsubscribe.action, token, { method: "POST", body: form })).toEqual({ unsubscribed: true });
    expect(await consent(id)).toEqual({ marketing_consent: false, unsubscribed: true });
    expect(await call(unsubscribe.loader, token)).toMatchObject({ valid: true, subscribed: false });
  });

  it("works with a mail client's one-click POST, without the page", async () => {
    const id = await customer();
    const result = await call(unsubscribe.action, await unsubscribeToken(id), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(result).toEqual({ unsubscribed: true });
    expect(await consent(id)).toEqual({ marketing_consent: false, unsubscribed: true });
  });

  it("rejects forged, altered and unsigned tokens and changes nothing", async () => {
    const id = await customer();
    const genuine = await unsubscribeToken(id);
    const otherKey = await new SignJWT({ p: "unsubscribe" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(String(id))
      .sign(new TextEncoder().encode("not-the-portal-secret-not-the-portal-secret"));
    const [header, payload] = genuine.split(".");
    const otherCustomer = Buffer.from(JSON.stringify({ p: "unsubscribe", sub: String(id + 1) })).toString("base64url");
    const forgeries = [
      otherKey,
      `${header}.${otherCustomer}.${genuine.split(".")[2]}`,
      `${Buffer.from('{"alg":"none"}').toString("base64url")}.${payload}.`,
      genuine.slice(0, -2) + (genuine.endsWith("AA") ? "BB" : "AA"),
      "not-a-token",
    ];
    for (const token of forgeries) {
      expect(await verifyUnsubscribeToken(token), token).toBeNull();
      const result = await call(unsubscribe.action, token, { method: "POST", body: "List-Unsubscribe=One-Click" });
      expect(await status(result), token).toBe(400);
      expect(await status(await call(unsubscribe.loader, token)), token).toBe(400);
    }
    expect(await consent(id)).toEqual({ marketing_consent: true, unsubscribed: false });
  });

  it("speaks the customer's language, not the browser's, on the page and after the confirm; a bad link follows the browser", async () => {
    // A browser that says English twice (its languages and the portal's language cookie), and one that says Japanese.
    const english = { "Accept-Language": "en-US,en;q=0.9", Cookie: await localeCookie.serialize("en") };
    const japanese = { "Accept-Language": "ja-JP,ja;q=0.9", Cookie: await localeCookie.serialize("ja") };
    const page = async (token: string, headers: Record<string, string>, method = "GET") => {
      const request = new Request(`${BASE}/u/${token}`, { method, headers, body: method === "POST" ? new URLSearchParams() : undefined });
      return renderPage(unsubscribe, "/u/:token", request);
    };

    const hanako = await unsubscribeToken(await customer(true, "ja", "Hanako"));
    const asked = await page(hanako, english);
    expect(asked.text).toContain("配信停止");
    expect(asked.text).toContain("からのお知らせメール（ha••••@example.com宛）の配信を停止しますか？");
    expect(asked.text).not.toMatch(/Unsubscribe|marketing/);
    expect(asked.html).toContain('lang="ja"');
    const confirmed = await page(hanako, english, "POST");
    expect(confirmed.text).toMatch(/配信を停止しました。今後、.+からお知らせメールはお送りしません。/);
    expect(confirmed.text).not.toMatch(/unsubscribed/);

    const john = await unsubscribeToken(await customer(true, "en", "John"));
    const johnAsked = await page(john, japanese);
    expect(johnAsked.text).toMatch(/Unsubscribe Stop marketing emails from .+ to jo••@example\.com\?/);
    expect(johnAsked.text).not.toMatch(/[ぁ-んァ-ン]/);
    expect(johnAsked.html).toContain('lang="en"');
    const johnConfirmed = await page(john, japanese, "POST");
    expect(johnConfirmed.text).toMatch(/You are unsubscribed\. .+ will not send you marketing emails any more\./);

    // No language on file: the browser's.
    const unknown = await unsubscribeToken(await customer(true, null, "Kim"));
    expect((await page(unknown, english)).text).toContain("Stop marketing emails");
    expect((await page(unknown, japanese)).text).toContain("配信を停止しますか");

    const invalid = await page("not-a-token", english);
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain("This unsubscribe link is not valid.");
    expect((await page("not-a-token", japanese)).text).toContain("この配信停止リンクは無効です。");
  });
});
