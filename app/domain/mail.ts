// A message's life in the outbox (DESIGN §7): queued → sending → sent | failed; suppressed when
// marketing mail meets a customer without consent. Shared by the server and the mailbox pages.
export const outboxStatuses = ["queued", "sending", "sent", "failed", "suppressed"] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];
