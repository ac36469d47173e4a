import { sql } from "drizzle-orm";
import { getDb, type Db } from "../../db/client.server";

/** One round trip to the database; throws when it does not answer. */
export async function pingDatabase(db: Db = getDb()) {
  await db.execute(sql`select 1`);
}
