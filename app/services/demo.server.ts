// `npm run demo`: an empty database gets the demo admin and demo data; an existing one is reused.
import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";
import { customers } from "../../db/schema";
import { seedDemo } from "../../db/seed/demo";
import { countStaff, insertStaff } from "~/models/staff.server";
import { refreshMetrics } from "~/models/metrics.server";
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
  const signIn = createdAdmin
    ? `Staff sign-in: ${env.DEMO_ADMIN_EMAIL} / ${env.DEMO_ADMIN_PASSWORD}  →  http://localhost:${env.PORT}/login`
    : `Staff sign-in: the accounts already in this database (demo admin: ${env.DEMO_ADMIN_EMAIL}, password as set when it was created)  →  http://localhost:${env.PORT}/login`;
  return { message: lines.join("\n"), signIn };
}
