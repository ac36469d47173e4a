// The one database handle: PGlite in DATA_DIR when DATABASE_URL is unset, postgres.js otherwise.
// Both run the same drizzle schema, the same migrations and the same queries.
import fs from "node:fs";
import path from "node:path";
import { tryLock } from "fs-native-extensions";
import { fillPlaceholders, type SQL } from "drizzle-orm";
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbKind = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Db;
  kind: DbKind;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = path.resolve(process.cwd(), "db/migrations");

/** A clear, user-facing start-up failure (the CLI prints the message, not a stack). */
export class DatabaseStartupError extends Error {}

export interface OpenOptions {
  /** postgres:// URL; when absent the embedded PGlite database is used. */
  url?: string;
  /** PGlite data folder; undefined with no url means in-memory (tests). */
  dataDir?: string;
  migrate?: boolean;
  /** PGlite only: start from a dump (tests copy one migrated database instead of migrating each). */
  loadDataDir?: Blob;
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  const handle = options.url
    ? await openPostgres(options.url)
    : await openPglite(options.dataDir, options.loadDataDir);
  if (options.migrate ?? true) await migrateDatabase(handle);
  return handle;
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(url, { max: 10, onnotice: () => {}, connect_timeout: 10 });
  try {
    await client`select 1`;
  } catch (error) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw new DatabaseStartupError(
      `DATABASE_URL: cannot connect to ${redactUrl(url)} (${(error as Error).message}). ` +
        "Check the URL, or unset DATABASE_URL to use the embedded database.",
    );
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  let closing: Promise<void> | undefined;
  return { db, kind: "postgres", close: () => (closing ??= client.end({ timeout: 5 })) };
}

async function openPglite(dataDir: string | undefined, loadDataDir?: Blob): Promise<DatabaseHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { drizzle } = await import("drizzle-orm/pglite");
  let releaseLock = () => {};
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    releaseLock = acquireDataDirLock(dataDir);
  }
  try {
    const client = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(loadDataDir ? { loadDataDir } : {}),
      extensions: { pg_trgm },
    });
    const db = drizzle(client, { schema }) as unknown as Db;
    return {
      db,
      kind: "pglite",
      close: async () => {
        if (!client.closed) await client.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

export async function migrateDatabase(handle: DatabaseHandle) {
  if (handle.kind === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(handle.db as never, { migrationsFolder: MIGRATIONS_DIR });
  } else {
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    await migrate(handle.db as never, { migrationsFolder: MIGRATIONS_DIR });
  }
  // Then the views, each from its one file in db/views (re-created only when that file changed).
  const { applyViews } = await import("./views.server");
  await applyViews(handle.db);
}

/**
 * PGlite is a single-process database: a second process opening the same folder would corrupt it.
 * The folder is kept to one process by an exclusive operating-system lock on `portal.lock` (an
 * open-file-description lock on Linux, flock elsewhere, through fs-native-extensions): taking it is
 * atomic, and the kernel drops it when its process ends, however it ends, so there is no stale lock
 * to take over and no window in which two processes both hold it. The file itself stays (removing it
 * would let a third process lock a new file while the first still holds the old one); it names the
 * holder's pid for the message.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, "portal.lock");
  const fd = fs.openSync(lockPath, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
  let locked: boolean;
  try {
    locked = tryLock(fd);
  } catch (error) {
    fs.closeSync(fd);
    throw new DatabaseStartupError(`Could not lock the embedded database folder ${dataDir} (${(error as Error).message}).`);
  }
  if (!locked) {
    const owner = fs.readFileSync(lockPath, "utf8").trim();
    fs.closeSync(fd);
    throw new DatabaseStartupError(
      `The embedded database in ${dataDir} is in use by another process${/^\d+$/.test(owner) ? ` (pid ${owner})` : ""}, ` +
        "probably the running portal server. Stop that process first and run the command again, " +
        "or set DATABASE_URL to a PostgreSQL server, which many processes can share.",
    );
  }
  fs.ftruncateSync(fd, 0);
  fs.writeSync(fd, String(process.pid), 0);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    fs.closeSync(fd); // closing the descriptor drops the lock
  };
  process.once("exit", release);
  return release;
}

function redactUrl(url: string) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(not a valid URL)";
  }
}

// The process-wide handle. Kept on globalThis because the Remix server build and the CLI that
// starts it are two module graphs in one process, and they must share one embedded database.
const globalKey = Symbol.for("loyalty-portal.database");
type GlobalWithDb = typeof globalThis & { [globalKey]?: DatabaseHandle };

export function setDatabase(handle: DatabaseHandle | undefined) {
  (globalThis as GlobalWithDb)[globalKey] = handle;
}

export function getDatabase(): DatabaseHandle {
  const handle = (globalThis as GlobalWithDb)[globalKey];
  if (!handle) throw new Error("The database is not open: call openDatabase() and setDatabase() first.");
  return handle;
}

export function getDb(): Db {
  return getDatabase().db;
}

/** Runs raw SQL and returns its rows, whichever driver is underneath. */
export async function queryRows<T>(query: SQL, db: Db = getDb()): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * A statement for a hot path, written once with `sql.placeholder("name")` for its values: compiled to
 * text once, and on PostgreSQL run as a named prepared statement, parsed and planned once per
 * connection instead of on every call (drizzle's execute() prepares nothing).
 */
export function preparedStatement<T, P extends string = string>(query: SQL) {
  let compiled: { sql: string; params: unknown[] } | null = null;
  return async (values: Record<P, unknown>, db: Db = getDb()): Promise<T[]> => {
    compiled ??= new PgDialect().sqlToQuery(query);
    const params = fillPlaceholders(compiled.params, values);
    const client = (db as unknown as { $client: unknown }).$client as {
      unsafe?: (text: string, params: unknown[], options: { prepare: boolean }) => Promise<T[]>;
      query?: (text: string, params: unknown[]) => Promise<{ rows: T[] }>;
    };
    if (client.unsafe) return client.unsafe(compiled.sql, params, { prepare: true });
    return (await client.query!(compiled.sql, params)).rows;
  };
}
