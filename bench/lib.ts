// Shared by the benchmarks: the throw-away database, temporary folders, clean-up on failure and on
// Ctrl-C, peak memory, a seeded PRNG, timing and rounding.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { openDatabase, setDatabase, type DatabaseHandle, type DbKind } from "../db/client.server";

export class UsageError extends Error {
  name = "UsageError";
}

// ---- Logging (stderr only: stdout is the result) ---------------------------------------------------

const started = performance.now();

export function log(message: string) {
  const t = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${t}s] ${message}\n`);
}

// ---- Clean-up: run on success, on failure and on SIGINT/SIGTERM -------------------------------------

const cleanups: (() => Promise<void>)[] = [];

/** Set once SIGINT/SIGTERM arrived: the run is being torn down, not failing on its own. */
export let interrupted = false;

/**
 * Registers a clean-up step; the returned function runs it now. It runs once: calling it again (or
 * runCleanups while it is under way) waits for the same run, so nobody exits half-way through it.
 */
export function onCleanup(fn: () => Promise<void> | void): () => Promise<void> {
  let done: Promise<void> | undefined;
  const run = () =>
    (done ??= (async () => {
      try {
        await fn();
      } finally {
        const i = cleanups.indexOf(run);
        if (i >= 0) cleanups.splice(i, 1);
      }
    })());
  cleanups.push(run);
  return run;
}

/** Runs (or waits for) every registered clean-up, newest first; failures are logged, not thrown. */
export async function runCleanups() {
  for (const run of [...cleanups].reverse()) {
    try {
      await run();
    } catch (error) {
      log(`clean-up failed: ${(error as Error).message}`);
    }
  }
}

// Ctrl-C: drop the database and delete the files, then exit. (Under tsx, a process busy on the CPU
// when the signal comes may be killed outright before this runs; see the warning in openBenchDatabase.)
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: cleaning up`);
    void runCleanups().finally(() => process.exit(130));
  });
}

export function makeTempDir(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const remove = onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  return { dir, remove };
}

// ---- The throw-away database ------------------------------------------------------------------------

export interface BenchDatabase {
  handle: DatabaseHandle;
  kind: DbKind;
  /** PostgreSQL only: the bench database's URL, for a child process (a server) to open the same database. */
  url?: string;
  /** Closes the handle and drops the database (PostgreSQL) or deletes its folder (PGlite). */
  close(): Promise<void>;
}

/**
 * PostgreSQL when DATABASE_URL is set: a fresh database portal_bench_<random> on that server (the
 * URL's own database is never touched), dropped again by `close()`. Otherwise PGlite in a temporary
 * folder. Either way migrated, and set as the process-wide database so `getDb()` works.
 */
export async function openBenchDatabase(): Promise<BenchDatabase> {
  const url = process.env.DATABASE_URL;
  let handle: DatabaseHandle;
  let close: () => Promise<void>;
  let benchUrl: string | undefined;
  if (url) {
    const { default: postgres } = await import("postgres");
    const name = `portal_bench_${randomBytes(6).toString("hex")}`;
    const admin = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
    try {
      await admin.unsafe(`create database "${name}"`);
    } catch (error) {
      await admin.end({ timeout: 1 }).catch(() => {});
      throw new Error(`Cannot create the bench database on the DATABASE_URL server: ${(error as Error).message}`);
    }
    log(`created database ${name}`);
    // A run killed outright (kill -9, or tsx force-killing a busy child on Ctrl-C) cannot drop its
    // database. Those are named, never dropped here: another bench may be using them.
    const others = await admin<{ datname: string }[]>`
      select datname from pg_database where datname like 'portal\_bench\_%' and datname <> ${name} order by 1`;
    if (others.length) {
      log(`note: other bench databases on this server (left by killed runs, or in use by a running bench): ` +
        `${others.map((d) => d.datname).join(", ")}; drop them by hand when no bench is running`);
    }
    let opened: DatabaseHandle | undefined;
    const drop = onCleanup(async () => {
      setDatabase(undefined);
      try {
        await opened?.close();
      } finally {
        if (process.env.BENCH_KEEP_DATABASE) {
          // For looking at plans afterwards (EXPLAIN on the seeded data): kept, and named.
          await admin.end({ timeout: 5 }).catch(() => {});
          log(`kept database ${name} (BENCH_KEEP_DATABASE): drop it by hand`);
          return;
        }
        try {
          await admin.unsafe(`drop database if exists "${name}" with (force)`);
        } catch {
          // PostgreSQL before 13 has no WITH (FORCE); our own connections are closed by now.
          await admin.unsafe(`drop database if exists "${name}"`);
        } finally {
          await admin.end({ timeout: 5 }).catch(() => {});
        }
        log(`dropped database ${name}`);
      }
    });
    try {
      const target = new URL(url);
      target.pathname = `/${name}`;
      benchUrl = target.toString();
      opened = await openDatabase({ url: benchUrl });
    } catch (error) {
      await drop();
      throw error;
    }
    handle = opened;
    close = drop;
  } else {
    const { dir, remove } = makeTempDir("portal-bench-pglite-");
    let opened: DatabaseHandle | undefined;
    const closeAndRemove = onCleanup(async () => {
      setDatabase(undefined);
      try {
        await opened?.close();
      } finally {
        await remove();
      }
    });
    try {
      opened = await openDatabase({ dataDir: dir });
    } catch (error) {
      await closeAndRemove();
      throw error;
    }
    log(`opened PGlite in ${dir}`);
    handle = opened;
    close = closeAndRemove;
  }
  setDatabase(handle);
  return { handle, kind: handle.kind, url: benchUrl, close };
}

/** The driver's own client under drizzle: postgres.js `Sql` (postgres) or the PGlite instance. */
export function rawClient(handle: DatabaseHandle): unknown {
  return (handle.db as unknown as { $client: unknown }).$client;
}

export type PostgresRaw = {
  unsafe(text: string): Promise<unknown[]> & { writable(): Promise<NodeJS.WritableStream> };
};
export type PgliteRaw = {
  query<T>(text: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ rows: T[] }>;
  exec(text: string): Promise<unknown>;
};

/** Runs raw SQL on either driver and returns all rows (fully read). */
export async function rawQuery<T = Record<string, unknown>>(handle: DatabaseHandle, text: string): Promise<T[]> {
  const client = rawClient(handle);
  if (handle.kind === "pglite") return (await (client as PgliteRaw).query<T>(text)).rows;
  return (await (client as PostgresRaw).unsafe(text)) as T[];
}

// ---- Peak memory --------------------------------------------------------------------------------

/** Samples RSS every 100 ms; `stop()` returns the peak in MB (with the kernel's VmHWM where there is one). */
export function startRssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
  }, 100);
  timer.unref();
  return {
    stop(): number {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss, vmHwmBytes());
      return Math.round(peak / (1024 * 1024));
    },
  };
}

function vmHwmBytes(): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0; // not Linux
  }
}

// ---- PRNG, timing, rounding, options ----------------------------------------------------------------

export { mulberry32 } from "../db/seed/demo";

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

/** Median wall time in ms of `runs` calls after `warmup` untimed ones. */
export async function medianMs(fn: () => Promise<unknown>, runs = 7, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}

export const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/**
 * A benchmark's options: `--name value` for each name in `defaults`, each a positive integer (`1_000`
 * allowed), anything else a UsageError naming it.
 */
export function parseBenchArgs<K extends string>(args: string[], defaults: Record<K, number>): Record<K, number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(Object.keys(defaults).map((name) => [name, { type: "string" as const }]));
    values = parseArgs({ args, options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return Object.fromEntries(
    (Object.entries(defaults) as [K, number][]).map(([name, fallback]) => [name, positiveInt(name, values[name] as string | undefined, fallback)]),
  ) as Record<K, number>;
}

/** Runs a benchmark with its peak memory sampled, and its clean-ups run whatever happens. */
export async function measured<T extends object>(run: () => Promise<T>): Promise<T & { peak_rss_mb: number }> {
  const rss = startRssSampler();
  try {
    const result = await run();
    return { ...result, peak_rss_mb: rss.stop() };
  } finally {
    await runCleanups();
  }
}

export function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const text = raw.replace(/_/g, "");
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--${name}: not a positive integer: ${raw}`);
  }
  return Number(text);
}
