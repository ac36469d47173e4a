// Shared by the benchmarks: the throw-away database, temporary folders, clean-up on failure and on
// Ctrl-C, the built portal as a child process, peak memory, a seeded PRNG, timing and rounding.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
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
  /** This process's handle (after `reacquire()`, the new one). */
  readonly handle: DatabaseHandle;
  kind: DbKind;
  /** PostgreSQL only: the bench database's URL, for a child process (a server) to open the same database. */
  url?: string;
  /** PGlite only: the data folder, for a child process to serve once this process has let go of it. */
  dataDir?: string;
  /**
   * PGlite: closes this process's handle (and its folder lock), so that another process may open the
   * folder; `handle` must not be used until `reacquire()`. PostgreSQL: nothing (many processes share it).
   */
  release(): Promise<void>;
  /** PGlite: opens the folder again after `release()` (and sets it as the process-wide database). */
  reacquire(): Promise<void>;
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
    setDatabase(opened);
    let current: DatabaseHandle | undefined = opened;
    return {
      get handle() {
        if (!current) throw new Error("the PGlite bench database is released (another process has it): reacquire() it first");
        return current;
      },
      kind: "pglite",
      dataDir: dir,
      async release() {
        if (!current) return;
        setDatabase(undefined);
        await current.close();
        current = undefined;
      },
      async reacquire() {
        if (current) return;
        opened = await openDatabase({ dataDir: dir, migrate: false });
        current = opened;
        setDatabase(opened);
      },
      close: closeAndRemove,
    };
  }
  setDatabase(handle);
  return { handle, kind: handle.kind, url: benchUrl, release: async () => {}, reacquire: async () => {}, close };
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

// ---- The built portal as a child process ------------------------------------------------------------

const ROOT = path.resolve(import.meta.dirname, "..");

/**
 * Builds the portal when build/index.js is missing, under the lock other builders on this machine
 * take (`flock /tmp/remix-build.lock`), so that two sessions never write build/ at once; notes a build
 * older than app/.
 */
export function ensureBuild() {
  const build = path.join(ROOT, "build/index.js");
  if (!fs.existsSync(build)) {
    log("no build/index.js: running `npm run build` (under /tmp/remix-build.lock)");
    const r = spawnSync("flock", ["/tmp/remix-build.lock", "sh", "-c", "test -f build/index.js || npm run build"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
    if (r.error) throw new Error(`could not run flock for the build: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`remix build failed (exit ${r.status})`);
    return;
  }
  const builtAt = fs.statSync(build).mtimeMs;
  if (newestMtime(path.join(ROOT, "app")) > builtAt) log("note: files under app/ are newer than build/index.js; run `npm run build` to measure them");
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

export interface ChildServer {
  /** http://127.0.0.1:<port>, also the Origin a same-origin POST names. */
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL after 10 s; registered as a clean-up at once. */
  stop(): Promise<void>;
}

export interface PortalOptions {
  /** PostgreSQL: the database's URL. */
  databaseUrl?: string;
  /** PGlite: the data folder (no other process may have it open: see BenchDatabase.release). */
  dataDir?: string;
  /** Default: a fresh random one (sessions do not outlive the child then). */
  sessionSecret?: string;
}

/**
 * The built portal as in production: `tsx app/cli/portal.ts serve` on a free port, no mail worker.
 * PORTAL_BENCH_NODE_OPTIONS, when set, becomes its NODE_OPTIONS (e.g. `--import` of a profiler).
 */
export async function startPortal(options: PortalOptions): Promise<ChildServer> {
  if (!options.databaseUrl === !options.dataDir) throw new Error("startPortal: give either databaseUrl or dataDir");
  const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["app/cli/portal.ts", "serve"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      PORT: "0",
      SESSION_SECRET: options.sessionSecret ?? randomBytes(30).toString("base64url").slice(0, 40),
      MAIL_WORKER: "0",
      // On PostgreSQL too the server keeps files under DATA_DIR (upload folders): a temporary one, not ./data.
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl, DATA_DIR: makeTempDir("portal-bench-data-").dir } : { DATA_DIR: options.dataDir }),
      ...(process.env.PORTAL_BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.PORTAL_BENCH_NODE_OPTIONS } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = await waitForLine(child, "portal", /listening on http:\/\/localhost:(\d+)/);
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: childStopper(child) };
}

/** Resolves with the first capture of `pattern` on the child's stdout; its stderr is passed on (20 lines at most). */
export async function waitForLine(child: ChildProcess, name: string, pattern: RegExp): Promise<string> {
  const stop = childStopper(child);
  let output = "";
  let errLines = 0;
  createInterface({ input: child.stderr! }).on("line", (line) => {
    output += line + "\n";
    if (interrupted) return; // Ctrl-C reached the child too: its complaints about closed connections are noise
    if (++errLines <= 20) process.stderr.write(`[${name}] ${line}\n`);
    else if (errLines === 21) process.stderr.write(`[${name}] (more on stderr, not shown)\n`);
  });
  const lines = createInterface({ input: child.stdout! });
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s:\n${output}`)), 60_000);
      lines.on("line", (line) => {
        output += line + "\n";
        const match = pattern.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code}:\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A clean-up that stops the child (SIGTERM, then SIGKILL after 10 s); registered at once, one per child. */
const stoppers = new WeakMap<ChildProcess, () => Promise<void>>();
export function childStopper(child: ChildProcess): () => Promise<void> {
  let stop = stoppers.get(child);
  if (!stop) {
    stop = onCleanup(async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    });
    stoppers.set(child, stop);
  }
  return stop;
}

// ---- Latency ------------------------------------------------------------------------------------------

/** The q-quantile (0..1) of the values by nearest rank; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
