// The local e-mail transport's mailbox (the local_mail table): what would have been sent, kept as
// rendered when no e-mail provider is configured, so the demo works offline. The local transport
// (app/utils/email-transport.server.ts) writes it; the staff mailbox reads it beside the outbox row.
import { eq, sql } from "drizzle-orm";
import { getDb, type Db } from "../../db/client.server";
import { localMail } from "../../db/schema";

export type LocalMailInsert = Omit<typeof localMail.$inferInsert, "deliveredAt">;

/**
 * Keeps delivered messages, one copy per outbox message: delivering one again keeps the first copy and
 * its provider id. Returns each message's provider id.
 */
export async function storeLocalMail(rows: LocalMailInsert[], db: Db = getDb()) {
  if (rows.length === 0) return [];
  return db
    .insert(localMail)
    .values(rows)
    .onConflictDoUpdate({ target: localMail.messageId, set: { providerId: sql`local_mail.provider_id` } })
    .returning({ messageId: localMail.messageId, providerId: localMail.providerId });
}

/** The copy the local transport kept of an outbox message, as rendered (null: none was kept). */
export async function getLocalMail(messageId: number, db: Db = getDb()) {
  const [row] = await db
    .select({
      html: localMail.html,
      text: localMail.text,
      headers: localMail.headers,
      attachments: localMail.attachments,
      fromAddress: localMail.fromAddress,
    })
    .from(localMail)
    .where(eq(localMail.messageId, messageId));
  return row ?? null;
}
