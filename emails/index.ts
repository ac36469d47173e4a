// The templates by name, and the one way to turn a name, its data and a context into a sendable message.
import { toPlainText } from "@react-email/components";
import { renderToStaticMarkup } from "react-dom/server";
import type { z } from "zod";
import type { EmailAttachment, EmailContext, EmailTemplate } from "./_lib/types";
import { template as ambassadorInvitation } from "./ambassador-invitation";
import { template as eventCancelled } from "./event-cancelled";
import { template as eventConfirmation } from "./event-confirmation";
import { template as eventInvitation } from "./event-invitation";
import { template as eventReminder } from "./event-reminder";
import { template as eventThanks } from "./event-thanks";
import { template as magicLink } from "./magic-link";
import { template as surveyInvitation } from "./survey-invitation";
import { template as surveyReminder } from "./survey-reminder";
import { template as waitlistPromotion } from "./waitlist-promotion";
import { template as welcomeCertificate } from "./welcome-certificate";

export * from "./_lib/types";

const XHTML_DOCTYPE =
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

export const emailTemplates = {
  "survey-invitation": surveyInvitation,
  "survey-reminder": surveyReminder,
  "ambassador-invitation": ambassadorInvitation,
  "welcome-certificate": welcomeCertificate,
  "magic-link": magicLink,
  "event-invitation": eventInvitation,
  "event-confirmation": eventConfirmation,
  "waitlist-promotion": waitlistPromotion,
  "event-reminder": eventReminder,
  "event-thanks": eventThanks,
  "event-cancelled": eventCancelled,
} as const;

export type EmailTemplateName = keyof typeof emailTemplates;

/** The data a template accepts, as its schema outputs it. */
export type EmailData<Name extends EmailTemplateName> = z.infer<(typeof emailTemplates)[Name]["data"]>;

export const emailTemplateNames = Object.keys(emailTemplates) as EmailTemplateName[];

export function isEmailTemplateName(name: string): name is EmailTemplateName {
  return Object.hasOwn(emailTemplates, name);
}

// How the HTML becomes the plain-text part: headings keep their case (html-to-text capitalises them by
// default) and the details table prints as aligned "label   value" lines instead of running together.
const plainTextOptions = {
  selectors: [
    { selector: "h1", options: { uppercase: false } },
    {
      selector: "table[data-text-format=dataTable]",
      format: "dataTable",
      options: { uppercaseHeaderCells: false, maxColumnWidth: 200 },
    },
  ],
};

export interface RenderedEmail {
  subject: string;
  html: string;
  /** The plain-text part, converted from the HTML (button and link URLs follow their text). */
  text: string;
  attachments: EmailAttachment[];
}

/**
 * Validates `data` with the template's schema (throws its ZodError, naming the field) and renders the message.
 * `data` is unknown because it usually comes back from the outbox as stored JSON.
 */
export async function renderEmail(name: EmailTemplateName, data: unknown, context: EmailContext): Promise<RenderedEmail> {
  // Widened to the base contract: the name is only known at run time, and the schema has just checked the data.
  const template: EmailTemplate = emailTemplates[name];
  const valid = template.data.parse(data);
  // Rendering is the expensive step and the worker renders hundreds a second: render once, derive the text
  // from it. React's synchronous renderer with react-email's XHTML doctype is what react-email's `render`
  // produces for templates without Suspense, at a third of the cost (no stream), and it avoids React 18's
  // stream renderer leaving NUL bytes where a multi-byte character meets its buffer's end (react/react#31134).
  const html = XHTML_DOCTYPE + renderToStaticMarkup(template.render(valid, context));
  return {
    subject: template.subject(valid, context),
    html,
    text: toPlainText(html, plainTextOptions),
    attachments: template.attachments?.(valid, context) ?? [],
  };
}
