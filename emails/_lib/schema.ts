// Field schemas the templates' data share, so every template checks names, links and dates the same way.
import { z } from "zod";

/** Text staff or the portal wrote (titles, venues): never blank. */
export const requiredText = z.string().trim().min(1);

/** The recipient's name, or null when the portal does not know it (the email then greets neutrally). */
export const customerName = requiredText.nullable();

function isWebUrl(value: string) {
  try {
    const { protocol } = new URL(value);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}

/** Links end up in `href`s: only absolute http(s) URLs, so a stored `javascript:` link never reaches a mail client. */
export const webUrl = z.string().refine(isWebUrl, { message: "Must be an absolute http(s) URL" });

/** A moment with its zone (`Z` or `±hh:mm`), so it is shown in the brand's time zone without guessing. */
export const dateTime = z.string().datetime({ offset: true });

/** A calendar day, `YYYY-MM-DD`, shown as is whatever the time zone. */
export const calendarDate = z.string().date();

export const positiveInt = z.number().int().positive();

/**
 * For an event schema's `.refine`: the end comes after the start. Unparsable dates pass here because their
 * own field already reports them.
 */
export function endsAfterStart({ startsAt, endsAt }: { startsAt: string; endsAt: string }) {
  const start = Date.parse(startsAt);
  const end = Date.parse(endsAt);
  return Number.isNaN(start) || Number.isNaN(end) || end > start;
}

export const endsAfterStartIssue = { message: "Must be after startsAt", path: ["endsAt"] };
