// hidePersonalLinks: what the mailbox and the outbox hide of a personal link, and what they keep.
import { describe, expect, it } from "vitest";
import { hidePersonalLinks } from "~/domain/mail";

describe("hidePersonalLinks", () => {
  it("hides tokens in paths, in token-named query parameters and in any long query value", () => {
    expect(hidePersonalLinks("https://p.example/s/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg")).toBe("https://p.example/s/••••••");
    expect(hidePersonalLinks("https://p.example/m/sign-in?token=abc&lang=en")).toBe("https://p.example/m/sign-in?token=••••••&lang=en");
    expect(hidePersonalLinks('<a href="https://p.example/m?lang=en&amp;sig=a.b.c">')).toBe('<a href="https://p.example/m?lang=en&amp;sig=••••••">');
    expect(hidePersonalLinks("https://p.example/x?ref=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg#top")).toBe("https://p.example/x?ref=••••••#top");
  });

  it("keeps ordinary links and text whole, and hiding twice changes nothing", () => {
    for (const text of ["https://p.example/staff/customers?page=2&q=tanaka", "お知らせ: 12月のイベント", "token = 5 (not a link)"]) {
      expect(hidePersonalLinks(text)).toBe(text);
    }
    const once = hidePersonalLinks("https://p.example/m/sign-in?token=abc");
    expect(hidePersonalLinks(once)).toBe(once);
  });
});
