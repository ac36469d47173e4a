// The email templates as the outbox worker sees them: renderEmail over every template in both languages.
import { render } from "@react-email/components";
import type { ComponentType } from "react";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import {
  type EmailContext,
  type EmailLocale,
  type EmailTemplateName,
  emailTemplateNames,
  emailTemplates,
  isEmailTemplateName,
  renderEmail,
} from "../../emails";

// Not the preview brand, so a brand name or colour found in the HTML came from the context, not the sample.
const brand = { name: "Kumo Tea House", color: "#1d6f42", timeZone: "Asia/Tokyo" };
const unsubscribeUrl = "https://portal.example.com/unsubscribe/test-token";
const locales: EmailLocale[] = ["ja", "en"];

function context(locale: EmailLocale, overrides: Partial<EmailContext> = {}): EmailContext {
  return { brand, locale, unsubscribeUrl, ...overrides };
}

/** The data field holding the link the email exists for; null for a notice with nothing to act on. */
const mainLinkField = {
  "survey-invitation": "surveyUrl",
  "survey-reminder": "surveyUrl",
  "ambassador-invitation": "acceptUrl",
  "welcome-certificate": "certificateUrl",
  "magic-link": "signInUrl",
  "event-invitation": "rsvpUrl",
  "event-confirmation": "manageUrl",
  "waitlist-promotion": "manageUrl",
  "event-reminder": "manageUrl",
  "event-thanks": "feedbackUrl",
  "event-cancelled": null,
} satisfies Record<EmailTemplateName, string | null>;

function sampleOf(name: EmailTemplateName): Record<string, unknown> {
  return { ...emailTemplates[name].sample };
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

function unfoldIcs(content: string) {
  return content.replace(/\r\n[ \t]/g, "");
}

describe("email registry", () => {
  it("lists the eleven templates and recognises only their names", () => {
    expect(emailTemplateNames).toHaveLength(11);
    expect(emailTemplateNames).toEqual(Object.keys(mainLinkField));
    expect(isEmailTemplateName("magic-link")).toBe(true);
    expect(isEmailTemplateName("toString")).toBe(false);
    expect(isEmailTemplateName("nope")).toBe(false);
  });

  it("marks consent-based emails as marketing and requested ones as transactional", () => {
    const marketing = emailTemplateNames.filter((name) => emailTemplates[name].category === "marketing");
    expect(marketing.sort()).toEqual(
      ["ambassador-invitation", "event-invitation", "event-thanks", "survey-invitation", "survey-reminder"].sort(),
    );
  });
});

describe.each(emailTemplateNames)("%s", (name) => {
  it.each(locales)("renders the sample in %s with brand, language, link and unsubscribe", async (locale) => {
    const email = await renderEmail(name, emailTemplates[name].sample, context(locale));
    const linkField = mainLinkField[name];

    expect(email.subject.trim()).not.toBe("");
    expect(email.html).toContain(brand.name);
    expect(email.html).toContain(brand.color);
    expect(email.html).toContain(`lang="${locale}"`);
    // React 18's streaming renderer can leave NUL bytes in multi-byte text; mail clients truncate there.
    expect(email.html).not.toContain("\0");

    expect(email.text).not.toMatch(/<\/?[a-z][^>]*>/i);
    if (linkField) expect(email.text).toContain(sampleOf(name)[linkField] as string);
    expect(email.text).toContain(brand.name);
    expect(email.html).toContain(`href="${unsubscribeUrl}"`);
    expect(email.text).toContain(unsubscribeUrl);
    expect(email.text).toContain(locale === "ja" ? "配信停止" : "Unsubscribe");
  });

  it("leaves the unsubscribe link out when there is none", async () => {
    const email = await renderEmail(name, emailTemplates[name].sample, context("ja", { unsubscribeUrl: null }));
    expect(email.html).not.toContain("/unsubscribe/");
    expect(email.text).not.toContain("配信停止");
  });

  it("has different Japanese and English subjects", async () => {
    const ja = await renderEmail(name, emailTemplates[name].sample, context("ja"));
    const en = await renderEmail(name, emailTemplates[name].sample, context("en"));
    expect(ja.subject).not.toBe(en.subject);
    expect(ja.text).not.toBe(en.text);
  });

  it("has a preview component that renders its PreviewProps", async () => {
    const module = (await import(`../../emails/${name}.tsx`)) as {
      default: ComponentType<object> & { PreviewProps: object };
    };
    const html = await render(<module.default {...module.default.PreviewProps} />);
    expect(html).toContain('lang="ja"');
    expect(html).toContain("Sakura Coffee");
  });
});

describe("greeting", () => {
  it("addresses the customer by name, or neutrally when the name is unknown", async () => {
    const named = { ...emailTemplates["event-reminder"].sample, customerName: "佐藤 一郎" };
    expect((await renderEmail("event-reminder", named, context("ja"))).text).toContain("佐藤 一郎様");
    expect((await renderEmail("event-reminder", named, context("en"))).text).toContain("Dear 佐藤 一郎,");

    const anonymous = { ...named, customerName: null };
    const ja = await renderEmail("event-reminder", anonymous, context("ja"));
    const en = await renderEmail("event-reminder", anonymous, context("en"));
    expect(ja.text).toContain("お客様");
    expect(en.text).toContain("Hello,");
    expect(ja.html + en.html).not.toContain("null");
  });

  it("escapes HTML in the data", async () => {
    const data = { ...emailTemplates["survey-invitation"].sample, customerName: "<script>alert(1)</script>" };
    const email = await renderEmail("survey-invitation", data, context("ja"));
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});

describe("dates", () => {
  it("shows times in the brand's time zone and the reader's language", async () => {
    const data = { ...emailTemplates["event-reminder"].sample, startsAt: "2025-09-13T05:00:00Z" };
    const tokyo = await renderEmail("event-reminder", data, context("ja"));
    expect(tokyo.text).toContain("2025年9月13日(土) 14:00 JST");

    const newYork = { ...brand, timeZone: "America/New_York" };
    const en = await renderEmail("event-reminder", data, context("en", { brand: newYork }));
    expect(en.text).toContain("Sat, Sep 13, 2025, 1:00 AM EDT");
  });

  it("writes an event's day once when it starts and ends on the same day", async () => {
    const email = await renderEmail("event-invitation", emailTemplates["event-invitation"].sample, context("ja"));
    expect(email.text).toContain("2025年9月13日(土) 14:00～16:00 JST");
  });
});

describe("invalid data", () => {
  it("rejects a missing link, naming the field", async () => {
    const { surveyUrl: _omitted, ...data } = sampleOf("survey-invitation");
    const error = await rejection(renderEmail("survey-invitation", data, context("ja")));
    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues.map((issue) => issue.path.join("."))).toEqual(["surveyUrl"]);
  });

  it.each(["not a url", "javascript:alert(1)", "/relative/path"])("rejects %j as a link", async (surveyUrl) => {
    const data = { ...sampleOf("survey-invitation"), surveyUrl };
    const error = await rejection(renderEmail("survey-invitation", data, context("ja")));
    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues.map((issue) => issue.path.join("."))).toEqual(["surveyUrl"]);
  });

  it("rejects dates without a zone and events that end before they start", async () => {
    const noZone = { ...sampleOf("event-reminder"), startsAt: "2025-09-13 14:00" };
    const noZoneError = (await rejection(renderEmail("event-reminder", noZone, context("ja")))) as ZodError;
    expect(noZoneError.issues.map((issue) => issue.path.join("."))).toEqual(["startsAt"]);

    const backwards = { ...sampleOf("event-confirmation"), endsAt: "2025-09-13T13:00:00+09:00" };
    const backwardsError = (await rejection(renderEmail("event-confirmation", backwards, context("ja")))) as ZodError;
    expect(backwardsError.issues.map((issue) => issue.path.join("."))).toEqual(["endsAt"]);
  });
});

describe("event-cancelled staff message", () => {
  it("shows the staff's message with its line breaks", async () => {
    const data = { ...emailTemplates["event-cancelled"].sample, message: "The venue flooded.\nWe will write with a new date." };
    const email = await renderEmail("event-cancelled", data, context("en"));
    expect(email.html).toContain("The venue flooded.<br/>We will write with a new date.");
    expect(email.text).toContain("The venue flooded.\nWe will write with a new date.");
    expect(email.text).toContain("The organisers asked us to pass on this message:");
  });

  it.each([null, undefined, "  "])("leaves the message out when it is %j", async (message) => {
    const data = { ...emailTemplates["event-cancelled"].sample, message };
    const email = await renderEmail("event-cancelled", data, context("ja"));
    expect(email.text).toContain("開催中止");
    expect(email.text).not.toContain("担当者より");
    expect(email.html).not.toContain("null");
  });
});

describe("event-confirmation calendar file", () => {
  it("attaches the event as event.ics in UTC", async () => {
    const data = {
      ...emailTemplates["event-confirmation"].sample,
      eventTitle: "Town meeting: autumn menu",
      startsAt: "2025-09-13T14:00:00+09:00",
      endsAt: "2025-09-13T16:30:00+09:00",
      eventUid: "event-42@portal.example.com",
    };
    const email = await renderEmail("event-confirmation", data, context("en"));

    expect(email.attachments).toHaveLength(1);
    const [ics] = email.attachments;
    expect(ics.filename).toBe("event.ics");
    expect(ics.contentType).toBe("text/calendar; charset=utf-8; method=PUBLISH");
    const content = unfoldIcs(ics.content);
    expect(content).toContain("BEGIN:VCALENDAR");
    expect(content).toContain("METHOD:PUBLISH");
    expect(content).toContain("DTSTART:20250913T050000Z");
    expect(content).toContain("DTEND:20250913T073000Z");
    expect(content).toContain("UID:event-42@portal.example.com");
    expect(content).toContain("SUMMARY:Town meeting: autumn menu");
    expect(content).toContain("STATUS:CONFIRMED");
    expect(content).toContain(`URL:${data.manageUrl}`);
  });

  it("is the only template with attachments", async () => {
    for (const name of emailTemplateNames.filter((other) => other !== "event-confirmation")) {
      const email = await renderEmail(name, emailTemplates[name].sample, context("ja"));
      expect(email.attachments, name).toEqual([]);
    }
  });
});
