// Repeatable views: each view is defined once, in db/views/<name>.sql (the rule is in db/views/README.md).
// After the migrations, applyViews re-creates, in one transaction, every view whose file changed since it
// was last applied or that is missing (a migration dropped it), together with the views that read it.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { Db } from "./client.server";

/** Rows of a statement on either driver (as queryRows in client.server, which imports this module). */
async function queryRows<T>(query: SQL, db: Db): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export const VIEWS_DIR = path.resolve(process.cwd(), "db/views");

const BREAKPOINT = "--> statement-breakpoint";
/** Serialises processes that start together on one PostgreSQL database (an arbitrary constant). */
const LOCK_KEY = 4_815_162_342;

export interface ViewFile {
  name: string;
  /** SHA-256 of the file (line endings normalised), recorded in drizzle.__view_files once applied. */
  checksum: string;
  /** The file's statements: the CREATE [MATERIALIZED] VIEW and its indexes. */
  statements: string[];
  /** The other views of the folder this one reads. */
  reads: string[];
}

/** The folder's views, each after the views it reads. */
export function readViewFiles(dir: string = VIEWS_DIR): ViewFile[] {
  const texts = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((file) => {
      const name = file.slice(0, -".sql".length);
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`db/views/${file}: a view's file is named after the view (lower case, digits, _).`);
      return { name, text: fs.readFileSync(path.join(dir, file), "utf8").replace(/\r\n/g, "\n") };
    });
  const files = texts.map(({ name, text }): ViewFile => {
    const code = withoutComments(text);
    if (!new RegExp(`create\\s+(materialized\\s+)?view\\s+"?${name}"?\\s`, "i").test(code)) {
      throw new Error(`db/views/${name}.sql must create the view ${name}.`);
    }
    return {
      name,
      checksum: crypto.createHash("sha256").update(text).digest("hex"),
      statements: text.split(BREAKPOINT).filter((statement) => withoutComments(statement).trim() !== ""),
      reads: texts.filter((other) => other.name !== name && mentions(code, other.name)).map((other) => other.name),
    };
  });
  return inDependencyOrder(files);
}

function withoutComments(text: string) {
  return text.replace(/--[^\n]*/g, " ");
}

function mentions(code: string, name: string) {
  return new RegExp(`(?<![\\w$])${name}(?![\\w$])`).test(code);
}

function inDependencyOrder(files: ViewFile[]): ViewFile[] {
  const ordered: ViewFile[] = [];
  const placed = new Set<string>();
  let left = files;
  while (left.length > 0) {
    const ready = left.filter((file) => file.reads.every((name) => placed.has(name)));
    if (ready.length === 0) throw new Error(`db/views: these views read each other in a circle: ${left.map((f) => f.name).join(", ")}.`);
    for (const file of ready) {
      ordered.push(file);
      placed.add(file.name);
    }
    left = left.filter((file) => !placed.has(file.name));
  }
  return ordered;
}

/**
 * Brings the database's views in line with their files and returns the names of the views it created.
 * A view is re-created when its file's checksum differs from the recorded one (or none is recorded),
 * when it does not exist, or when a view it reads is re-created. Readers are dropped before what they
 * read, without CASCADE (a view made by hand on top of ours stops it, rather than vanishing), then
 * created in dependency order; a materialized view created WITH NO DATA is refreshed right after its
 * indexes, so every view is populated as the migrations left them. A view whose file was removed is
 * dropped.
 */
export async function applyViews(db: Db, dir: string = VIEWS_DIR): Promise<string[]> {
  const files = readViewFiles(dir);
  return db.transaction(async (run) => {
    await run.execute(sql`select pg_advisory_xact_lock(${LOCK_KEY})`);
    await run.execute(sql`create schema if not exists drizzle`);
    await run.execute(
      sql`create table if not exists drizzle.__view_files (
            name text primary key, checksum text not null, applied_at timestamptz not null default now())`,
    );
    const recorded = new Map(
      (await queryRows<{ name: string; checksum: string }>(sql`select name, checksum from drizzle.__view_files`, run)).map((r) => [r.name, r.checksum]),
    );
    const existing = new Map(
      (
        await queryRows<{ name: string; kind: string }>(
          sql`select c.relname as name, c.relkind::text as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
               where n.nspname = current_schema() and c.relkind in ('m', 'v')`,
          run,
        )
      ).map((r) => [r.name, r.kind]),
    );

    const stale = new Set<string>();
    for (const file of files) {
      if (recorded.get(file.name) !== file.checksum || !existing.has(file.name) || file.reads.some((name) => stale.has(name))) {
        stale.add(file.name);
      }
    }
    const removed = [...recorded.keys()].filter((name) => !files.some((file) => file.name === name));
    if (stale.size === 0 && removed.length === 0) return [];

    const drop = async (name: string) => {
      const kind = existing.get(name);
      if (kind === "m") await run.execute(sql`drop materialized view ${sql.identifier(name)}`);
      if (kind === "v") await run.execute(sql`drop view ${sql.identifier(name)}`);
    };
    for (const file of [...files].reverse()) if (stale.has(file.name)) await drop(file.name);
    for (const name of removed) {
      await drop(name);
      await run.execute(sql`delete from drizzle.__view_files where name = ${name}`);
    }

    const created: string[] = [];
    for (const file of files) {
      if (!stale.has(file.name)) continue;
      await createView(file, run);
      await run.execute(
        sql`insert into drizzle.__view_files (name, checksum) values (${file.name}, ${file.checksum})
            on conflict (name) do update set checksum = excluded.checksum, applied_at = now()`,
      );
      created.push(file.name);
    }
    return created;
  });
}

/** Runs a view's file in the current schema and populates the view if the file created it WITH NO DATA. */
export async function createView(file: ViewFile, db: Db) {
  for (const statement of file.statements) await db.execute(sql.raw(statement));
  const [matview] = await queryRows<{ populated: boolean }>(
    sql`select ispopulated as populated from pg_matviews where schemaname = current_schema() and matviewname = ${file.name}`,
    db,
  );
  if (matview && !matview.populated) await db.execute(sql`refresh materialized view ${sql.identifier(file.name)}`);
}
