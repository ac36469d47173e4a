// `npm run demo`: an empty database gets the demo admin and demo data; an existing one is reused.
import { sql } from "drizzle-orm";
import { getDb, queryRows } from "../../db/client.server";
import { customers } from "../../db/schema";
import { seedDemo } from "../../db/seed/demo";
import { countStaff, insertStaff } from "~/models/staff.server";
import { refreshMetrics } from "~/models/metrics.server";
import { enqueueEmails, type OutgoingEmail } from "~/models/outbox.server";
import { emailTemplateNames, emailTemplates } from "../../emails";
import { hashPassword } from "~/utils/crypto.server";
import type { Env } from "~/utils/env.server";

export async function prepareDemo(env: Env) {
  const db = getDb();
  const lines: string[] = [];
  let createdAdmin = false;
  if ((await countStaff()) === 0) {
    await insertStaff({
      name: "Demo Admin",
      email: env.DEMO_ADMIN_EMAIL,
      passwordHash: await hashPassword(env.DEMO_ADMIN_PASSWORD),
      role: "admin",
      isFounder: true,
    });
    createdAdmin = true;
  }
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(customers);
  if (n === 0) {
    const started = Date.now();
    const counts = await seedDemo(db, { seed: 42, customers: 5000, asOf: new Date() });
    await refreshMetrics();
    lines.push(`Demo data loaded: ${counts.customers} customers, ${counts.purchases} purchases (${Date.now() - started} ms).`);
  } else {
    lines.push(`Existing data reused (${n} customers); nothing reseeded.`);
  }
  const mail = await queueDemoMail();
  if (mail.queued + mail.suppressed > 0) {
    lines.push(`Demo mail queued: ${mail.queued} message(s), ${mail.suppressed} refused for lack of consent (see the mailbox).`);
  }
  const signIn = createdAdmin
    ? `Staff sign-in: ${env.DEMO_ADMIN_EMAIL} / ${env.DEMO_ADMIN_PASSWORD}  →  http://localhost:${env.PORT}/login`
    : `Staff sign-in: the accounts already in this database (demo admin: ${env.DEMO_ADMIN_EMAIL}, password as set when it was created)  →  http://localhost:${env.PORT}/login`;
  return { message: lines.join("\n"), signIn };
}

/**
 * One message of every template to a few demo customers, so the mailbox has something to show: the
 * worker delivers them through the local transport. Marketing mail to a customer without consent is
 * refused and counted, as it would be for real. Idempotency keys make a second run add nothing.
 */
async function queueDemoMail() {
  const rows = await queryRows<{ id: number; email: string; name: string | null; locale: string | null; consent: boolean }>(
    sql`(select id, email, name, locale, marketing_consent as consent from customers where email is not null and marketing_consent order by id limit 3)
        union all
        (select id, email, name, locale, marketing_consent from customers where email is not null and not marketing_consent order by id limit 1)`,
  );
  const emails: OutgoingEmail[] = rows.flatMap((customer, i) =>
    emailTemplateNames
      .filter((_, t) => (t + i) % 3 !== 0 || !customer.consent)
      .map((template) => ({
        template,
        idempotencyKey: `demo:${template}:${customer.id}`,
        to: customer.email,
        customerId: Number(customer.id),
        locale: customer.locale === "en" ? "en" : "ja",
        data: { ...emailTemplates[template].sample, ...("customerName" in emailTemplates[template].sample ? { customerName: customer.name } : {}) },
      })),
  );
  return enqueueEmails(emails);
}
