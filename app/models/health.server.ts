import { sql } from "drizzle-orm";
import { getDb } from "../../db/client.server";

/** One round trip to the database; throws when it does not answer. */
export async function pingDatabase() {
  await getDb().execute(sql`select 1`);
}
