// The contract between the email templates and the portal's outbox. Templates import nothing from
// the app: everything they show comes in through their props.
import type { ReactElement } from "react";
import type { z } from "zod";

export type EmailLocale = "ja" | "en";

/** Brand settings every template shows: name and colour come from the portal's settings page. */
export interface EmailBrand {
  name: string;
  /** The brand's primary colour, `#rrggbb`. */
  color: string;
  /** IANA time zone dates are shown in, e.g. `Asia/Tokyo`. */
  timeZone: string;
}

/** What the outbox gives every template besides its own data. */
export interface EmailContext {
  brand: EmailBrand;
  locale: EmailLocale;
  /**
   * The signed one-click unsubscribe link for the recipient; the footer shows it.
   * Null only when the recipient is not a customer (no consent to withdraw).
   */
  unsubscribeUrl: string | null;
}

/**
 * marketing: needs the customer's consent; carries List-Unsubscribe headers; refused after opt-out.
 * transactional: sent because the recipient asked for it (sign-in link, RSVP confirmation).
 */
export type EmailCategory = "marketing" | "transactional";

export interface EmailAttachment {
  filename: string;
  content: string;
  contentType: string;
}

export interface EmailTemplate<Schema extends z.ZodTypeAny = z.ZodTypeAny> {
  category: EmailCategory;
  /** Validates the template's own data when a message is enqueued. */
  data: Schema;
  subject(data: z.infer<Schema>, context: EmailContext): string;
  render(data: z.infer<Schema>, context: EmailContext): ReactElement;
  /** Sample data for the preview pages. */
  sample: z.infer<Schema>;
  /** Files sent with the message (e.g. the event's `.ics`). Messages with attachments go out one by one. */
  attachments?(data: z.infer<Schema>, context: EmailContext): EmailAttachment[];
}

export function defineTemplate<Schema extends z.ZodTypeAny>(template: EmailTemplate<Schema>) {
  return template;
}
