// A message's life in the outbox (DESIGN §7): queued → sending → sent | failed; suppressed when
// marketing mail meets a customer without consent. Shared by the server and the mailbox pages.
export const outboxStatuses = ["queued", "sending", "sent", "failed", "suppressed"] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

// Personal links act as the customer (a survey link, a sign-in link, an unsubscribe link): wherever
// stored mail is shown to someone who may not act as the customer, their tokens are hidden. A token
// is either a path segment long enough to be one (personal-link tokens are 43 characters, signed
// links longer), or the value of a query parameter named like one (`?token=`, `&amp;sig=` in HTML),
// or any query value long enough to be one. The rest of the link stays readable.
export const HIDDEN_TOKEN = "••••••";
const TOKEN_PARAMS = "token|t|code|key|sig|signature|auth|secret|session";
/** As PostgreSQL and JavaScript regular expressions both read them (the outbox scrubs in SQL). */
export const personalLinkPatterns = {
  path: "/[A-Za-z0-9_.~-]{32,}",
  namedParam: `([?&]|&amp;)(${TOKEN_PARAMS})=[^&#"'<>\\s\\\\]+`,
  longParam: "([?&]|&amp;)([A-Za-z0-9_.~-]+)=[A-Za-z0-9_.~%-]{32,}",
} as const;

/** The text with every personal-link token replaced by •••••• (idempotent). */
export function hidePersonalLinks(text: string): string {
  return text
    .replace(new RegExp(personalLinkPatterns.path, "g"), `/${HIDDEN_TOKEN}`)
    .replace(new RegExp(personalLinkPatterns.namedParam, "gi"), `$1$2=${HIDDEN_TOKEN}`)
    .replace(new RegExp(personalLinkPatterns.longParam, "g"), `$1$2=${HIDDEN_TOKEN}`);
}
