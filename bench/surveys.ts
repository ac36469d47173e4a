// `npm run bench -- surveys [--responses N] [--connections C] [--duration S]`
//
// 1. A throw-away database with the ready-made loyalty survey (loyaltyTemplate), opened.
// 2. Ours: the built portal (`build/index.js`; built first when missing) as a child process, as in
//    production, and autocannon with C connections for S seconds (after a 2 s warm-up that is not
//    counted) POSTing valid, varied answers, each with a fresh submission id, to the open link's
//    answer endpoint the way the answer page does: `POST /s/o/<token>/answers` with a JSON body
//    (app/services/answer-endpoint.server.ts). → submits_per_s (2xx responses/s), submit_p50_ms, submit_p99_ms.
// 3. The floor, in the same run: a bare node:http server in a child process that parses the same body
//    (JSON.parse) and stores it with one INSERT (postgres.js, pool of 10) into a plain table
//    bench_floor in the same database, under the same load. submit_ratio = ours ÷ floor.
//    Both: every 2xx response must have its row, no response may be non-2xx, and rows without a
//    counted response are only requests still in flight when autocannon stopped (≤ C per run).
// 4. The survey filled to N responses (set-based SQL, plausible scored answers), VACUUM ANALYZE, then
//    results_ms: median of 7 calls (after 1 warm-up) of getSurveyResults(survey, null) in this process;
//    results_segment_ms the same with the segment "loyal_active" (customer_metrics is empty here:
//    generated responses are anonymous). results_queries_ms: the median time of each of its queries.
//    Then submits_per_s_filled: ours again, with the survey holding N responses.
//
// The HTTP part needs PostgreSQL (DATABASE_URL): PGlite is one process, and the server must be
// another. On PGlite it is skipped (submit keys null, reason on stderr and in `http_skipped`); the
// results part runs on either.
//
// PORTAL_BENCH_NODE_OPTIONS, when set, becomes the server's NODE_OPTIONS (e.g. `--import` of a profiler).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.server";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { getSurveyResults, refreshSurveyStats } from "~/models/survey-results.server";
import { createSurvey, getSurvey, setSurveyStatus } from "~/models/surveys.server";
import {
  interrupted,
  log,
  measured,
  medianMs,
  onCleanup,
  openBenchDatabase,
  parseBenchArgs,
  rawQuery,
  round,
  timed,
  type BenchDatabase,
} from "./lib";

const FLOOR_CHILD_ENV = "PORTAL_BENCH_SURVEYS_FLOOR";
const WARMUP_SECONDS = 2;
const ROOT = path.resolve(import.meta.dirname, "..");

export interface SurveysResult {
  submits_per_s: number | null;
  submit_p50_ms: number | null;
  submit_p99_ms: number | null;
  submit_ratio: number | null;
  results_ms: number;
  /** One refresh of the pre-aggregated statistics the results page reads. */
  stats_refresh_ms: number;
  results_segment_ms: number;
  /** The queries of getSurveyResults in order (questions, summary, alpha moments, by segment): median ms each. */
  results_queries_ms: number[];
  floor_per_s: number | null;
  floor_p50_ms: number | null;
  floor_p99_ms: number | null;
  /** Ours again after the fill, with the survey holding `responses` answers. */
  submits_per_s_filled: number | null;
  submit_p99_ms_filled: number | null;
  fill_per_s: number;
  responses: number;
  connections: number;
  duration_s: number;
  endpoint: string;
  database: string;
  http_skipped?: string;
  peak_rss_mb: number;
}

export async function runSurveysBench(args: string[]): Promise<SurveysResult> {
  const { responses, connections, duration } = parseBenchArgs(args, { responses: 100_000, connections: 50, duration: 15 });
  return measured(() => run(responses, connections, duration));
}

async function run(responses: number, connections: number, duration: number): Promise<Omit<SurveysResult, "peak_rss_mb">> {
  const db = await openBenchDatabase();
  log(`database: ${db.kind}`);
  const template = loyaltyTemplate();
  const surveyId = await createSurvey(
    { title: template.title, intro: template.intro, thanks: template.thanks, layout: "one_per_page", linkDays: 30, reminderDays: null },
    template.questions,
    null,
  );
  await setSurveyStatus(surveyId, "open");
  const survey = (await getSurvey(surveyId))!;
  const endpoint = `/s/o/${survey.openToken}/answers`;
  log(`survey ${surveyId} open at ${endpoint}`);

  // 2 + 3. Ours and the floor under the same load (PostgreSQL only).
  let ours: LoadResult | null = null;
  let floor: LoadResult | null = null;
  let portal: ChildServer | null = null;
  let httpSkipped: string | undefined;
  if (db.kind === "postgres" && db.url) {
    ensureBuild();
    await db.handle.db.execute(
      sql`create table bench_floor (id bigserial primary key, submission_id uuid, answers jsonb, created_at timestamptz default now())`,
    );
    portal = await startPortal(db.url);
    log(`portal at ${portal.url} (pid ${portal.pid})`);
    ours = await measure("ours", portal.url, endpoint, connections, duration, db, "survey_responses");

    const floorServer = await startFloor(db.url);
    log(`floor at ${floorServer.url} (pid ${floorServer.pid})`);
    floor = await measure("floor", floorServer.url, "/submit", connections, duration, db, "bench_floor");
    await floorServer.stop();
  } else {
    httpSkipped = "PGlite is a single-process database, so the built server cannot run beside the bench: set DATABASE_URL for the HTTP part";
    log(`skipping the submit load: ${httpSkipped}`);
  }

  // 4. Fill to N responses, then the results page's aggregation.
  const [{ n: existing }] = await rawQuery<{ n: number }>(db.handle, `select count(*)::int as n from survey_responses where survey_id = ${surveyId}`);
  const toAdd = Math.max(0, responses - existing);
  const total = existing + toAdd;
  const fill = await timed(() => fillResponses(db, surveyId, toAdd));
  log(`filled ${toAdd} responses in ${fill.seconds.toFixed(1)} s (${existing} came from the load)`);
  // VACUUM as well as ANALYZE: a table that grew to N rows over time has been vacuumed by autovacuum,
  // and autovacuum starting in the middle of the timings below would be noise.
  await rawQuery(db.handle, "vacuum (analyze) survey_responses");

  // The statistics the results page reads are refreshed when responses changed: timed apart (it runs
  // in the background for a busy survey; a page view waits only when they are over ten minutes old).
  const statsRefresh = await timed(() => refreshSurveyStats(db.handle.db));
  log(`survey statistics refreshed over ${total} responses in ${(statsRefresh.seconds * 1000).toFixed(0)} ms`);
  const overall = await timeResults(db.handle.db, surveyId, null);
  log(`getSurveyResults over ${total} responses: ${overall.ms.toFixed(1)} ms (queries ${overall.queries.map((q) => q.toFixed(1)).join(", ")} ms)`);
  const segment = await timeResults(db.handle.db, surveyId, "loyal_active");
  log(`getSurveyResults for loyal_active: ${segment.ms.toFixed(1)} ms`);

  // Ours again with the survey full: the action's cost may grow with the responses already there.
  let filled: LoadResult | null = null;
  if (portal) {
    filled = await measure("ours, filled survey", portal.url, endpoint, connections, duration, db, "survey_responses");
    await portal.stop();
  }

  return {
    submits_per_s: ours ? round(ours.perS, 1) : null,
    submit_p50_ms: ours ? ours.p50 : null,
    submit_p99_ms: ours ? ours.p99 : null,
    submit_ratio: ours && floor ? round(ours.perS / floor.perS, 3) : null,
    results_ms: round(overall.ms, 1),
    results_segment_ms: round(segment.ms, 1),
    stats_refresh_ms: round(statsRefresh.seconds * 1000, 0),
    results_queries_ms: overall.queries.map((q) => round(q, 1)),
    floor_per_s: floor ? round(floor.perS, 1) : null,
    floor_p50_ms: floor ? floor.p50 : null,
    floor_p99_ms: floor ? floor.p99 : null,
    submits_per_s_filled: filled ? round(filled.perS, 1) : null,
    submit_p99_ms_filled: filled ? filled.p99 : null,
    fill_per_s: toAdd > 0 ? round(toAdd / fill.seconds, 0) : 0,
    responses: total,
    connections,
    duration_s: duration,
    endpoint: "POST /s/o/<token>/answers",
    database: db.kind,
    ...(httpSkipped ? { http_skipped: httpSkipped } : {}),
  };
}

// ---- Load ---------------------------------------------------------------------------------------------

interface LoadResult {
  perS: number;
  p50: number;
  p99: number;
}

/**
 * A warm-up of 2 s, then the measured run; then checks the rows against the responses: every 2xx has
 * its row, nothing was non-2xx, and the rows without a counted response (requests autocannon cut off
 * when it stopped) are at most one per connection per run. `table` holds the rows (the only survey's).
 */
async function measure(label: string, origin: string, route: string, connections: number, seconds: number, db: BenchDatabase, table: "survey_responses" | "bench_floor"): Promise<LoadResult> {
  const [{ last }] = await rawQuery<{ last: string }>(db.handle, `select coalesce(max(id), 0)::text as last from ${table}`);
  log(`${label}: warm-up ${WARMUP_SECONDS} s, ${connections} connections`);
  const warm = await load(origin, route, connections, WARMUP_SECONDS);
  log(`${label}: ${seconds} s, ${connections} connections`);
  const main = await load(origin, route, connections, seconds);
  // Let requests cut off at the stop finish on the server before counting rows.
  await sleep(1000);

  const after = (await rawQuery<{ id: string }>(db.handle, `select submission_id::text as id from ${table} where id > ${last}`)).map((r) => r.id);
  const stored = new Set(after);
  const ok = new Set([...warm.ok, ...main.ok]);
  const twoXx = warm.result["2xx"] + main.result["2xx"];
  const problems: string[] = [];
  for (const r of [warm.result, main.result]) {
    if (r.non2xx > 0) problems.push(`${r.non2xx} non-2xx responses (${JSON.stringify(statusCounts(r))})`);
    if (r.errors > 0 || r.timeouts > 0) problems.push(`${r.errors} errors, ${r.timeouts} timeouts`);
  }
  if (ok.size !== twoXx) problems.push(`autocannon counted ${twoXx} 2xx responses, the hook saw ${ok.size} distinct submission ids`);
  const missing = [...ok].filter((id) => !stored.has(id)).length;
  if (missing > 0) problems.push(`${missing} of ${ok.size} answered (2xx) submissions have no row`);
  const unanswered = stored.size - (ok.size - missing);
  if (unanswered > 2 * connections) problems.push(`${unanswered} rows have no counted response (more than the ${2 * connections} requests in flight at the two stops)`);
  if (after.length !== stored.size) problems.push(`${after.length - stored.size} duplicate submission ids stored`);
  if (problems.length) throw new Error(`${label}: ${problems.join("; ")}`);

  const perS = main.result["2xx"] / main.result.duration;
  log(
    `${label}: ${Math.round(perS)} submits/s, p50 ${main.result.latency.p50} ms, p99 ${main.result.latency.p99} ms; ` +
      `rows = ${twoXx} 2xx responses + ${unanswered} cut off at the stop`,
  );
  return { perS, p50: main.result.latency.p50, p99: main.result.latency.p99 };
}

function statusCounts(result: autocannon.Result): Record<string, number> {
  return Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, (s as { count: number }).count]));
}

async function load(origin: string, route: string, connections: number, seconds: number) {
  const ok = new Set<string>();
  const random = Math.random;
  let finish!: (error: unknown, result: autocannon.Result) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => (finish = (error, result) => (error ? reject(error) : resolve(result))));
  const instance = autocannon({
    url: origin,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: "POST",
        path: route,
        headers: { "content-type": "application/json" },
        // One request in flight per connection (no pipelining), so the context is that request's.
        setupRequest: (request, context) => {
          const submissionId = randomUUID();
          (context as { id?: string }).id = submissionId;
          return { ...request, body: formBody(submissionId, random) };
        },
        onResponse: (status, _body, context) => {
          if (status >= 200 && status < 300) ok.add((context as { id: string }).id);
        },
      },
    ],
  }, (error, result) => finish(error, result));
  // Ctrl-C during the run stops the clients; once the run is over the clean-up has nothing to do.
  let running = true;
  const done = onCleanup(() => {
    if (running) instance.stop();
  });
  try {
    return { result: await finished, ok };
  } finally {
    running = false;
    await done();
  }
}

/** The answer page's POST: intent, the answers as JSON, the page's submission id. */
function formBody(submissionId: string, random: () => number): string {
  // A latent loyalty drives every item, with noise, so the answers hang together as real ones do.
  const loyalty = (random() + random()) / 2;
  const likert = (x: number) => Math.min(5, Math.max(1, Math.round(1 + 4 * x + (random() - 0.5) * 2)));
  const pick = <T>(options: readonly T[], x: number) => options[Math.min(options.length - 1, Math.max(0, Math.floor((x + (random() - 0.5) * 0.4) * options.length)))]!;
  const answers: Record<string, number | string> = {
    attach1: likert(loyalty),
    attach2: likert(loyalty),
    pref1: likert(loyalty),
    pref2: likert(1 - loyalty),
    cont1: likert(loyalty),
    cont2: likert(loyalty),
    trust1: likert(loyalty),
    trust2: likert(loyalty),
    nps: Math.min(10, Math.max(0, Math.round(10 * loyalty + 1 + (random() - 0.5) * 4))),
    wallet: pick(["hardly_any", "less_than_half", "about_half", "more_than_half", "almost_all"], loyalty),
    ambassador: pick(["no", "maybe", "yes"], loyalty - 0.15),
    cocreation: pick(["no", "maybe", "yes"], loyalty - 0.1),
  };
  if (random() < 0.25) answers.comment = random() < 0.5 ? "いつも丁寧な接客をありがとうございます。" : "Delivery could be faster, otherwise great.";
  return JSON.stringify({ intent: "submit", answers, submissionId });
}

// ---- The servers ------------------------------------------------------------------------------------

interface ChildServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function ensureBuild() {
  const build = path.join(ROOT, "build/index.js");
  if (!fs.existsSync(build)) {
    log("no build/index.js: running remix build");
    const r = spawnSync(path.join(ROOT, "node_modules/.bin/remix"), ["build"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
    if (r.status !== 0) throw new Error(`remix build failed (exit ${r.status})`);
    return;
  }
  const builtAt = fs.statSync(build).mtimeMs;
  if (newestMtime(path.join(ROOT, "app")) > builtAt) log("note: files under app/ are newer than build/index.js; run `npx remix build` to measure them");
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** The built portal as in production: `tsx app/cli/portal.ts serve` on a free port, no mail worker. */
async function startPortal(databaseUrl: string): Promise<ChildServer> {
  const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["app/cli/portal.ts", "serve"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      PORT: "0",
      SESSION_SECRET: randomBytes(30).toString("base64url").slice(0, 40),
      MAIL_WORKER: "0",
      DATABASE_URL: databaseUrl,
      // For a closer look (Node refuses --cpu-prof here; an --import that starts node:inspector works).
      ...(process.env.PORTAL_BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.PORTAL_BENCH_NODE_OPTIONS } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = await waitForLine(child, "portal", /listening on http:\/\/localhost:(\d+)/);
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: stopper(child) };
}

/** The floor: this file again in a child process, running floorServer() below. */
async function startFloor(databaseUrl: string): Promise<ChildServer> {
  const child = spawn(process.execPath, ["--import", "tsx", import.meta.filename], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", DATABASE_URL: databaseUrl, [FLOOR_CHILD_ENV]: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = await waitForLine(child, "floor", /^floor listening on http:\/\/127\.0\.0\.1:(\d+)$/);
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: stopper(child) };
}

/** Resolves with the first capture of `pattern` on the child's stdout; its stderr is passed on (20 lines at most). */
async function waitForLine(child: ChildProcess, name: string, pattern: RegExp): Promise<string> {
  const stop = stopper(child);
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

/** A clean-up that stops the child (SIGTERM, then SIGKILL after 10 s); registered at once. */
const stoppers = new WeakMap<ChildProcess, () => Promise<void>>();
function stopper(child: ChildProcess): () => Promise<void> {
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

/** The floor's process: parse the same JSON body, one INSERT, answer 200 with a small JSON body. */
async function floorServer() {
  // This file's imports (bench/lib.ts) set Ctrl-C handlers meant for the bench process: not here.
  process.removeAllListeners("SIGINT");
  process.removeAllListeners("SIGTERM");
  const { default: postgres } = await import("postgres");
  const db = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {} });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        try {
          const post = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { answers: Record<string, unknown>; submissionId: string };
          await db`insert into bench_floor (submission_id, answers) values (${post.submissionId}, ${db.json(post.answers as never)})`;
          res.writeHead(200, { "content-type": "application/json" }).end('{"done":true}');
        } catch (error) {
          res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
        }
      })();
    });
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    process.stdout.write(`floor listening on http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}\n`);
  });
  const stop = () => {
    server.close();
    void db.end({ timeout: 2 }).finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

// ---- The fill and the results -------------------------------------------------------------------------

/**
 * Adds `count` scored responses to the survey in statements of 200,000 rows: answers driven by a latent
 * loyalty with noise (as formBody), scores computed as the domain's scoreResponse does (items on 0–100,
 * construct means, psych = mean of the five scored constructs with the default equal weights).
 */
async function fillResponses(db: BenchDatabase, surveyId: number, count: number) {
  const chunk = 200_000;
  const likert = (x: string) => `least(5, greatest(1, round(1 + 4 * ${x} + (random() - 0.5) * 2)))::int`;
  const pick = (options: string[], x: string) =>
    `(array[${options.map((o) => `'${o}'`).join(", ")}])[least(${options.length}, greatest(1, floor((${x} + (random() - 0.5) * 0.4) * ${options.length})::int + 1))]`;
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    await rawQuery(
      db.handle,
      `with latent as materialized (
         select g, (random() + random()) / 2 as l from generate_series(1, ${n}) g
       ), items as materialized (
         select g,
                ${likert("l")} as a1, ${likert("l")} as a2, ${likert("l")} as p1, ${likert("1 - l")} as p2,
                ${likert("l")} as c1, ${likert("l")} as c2, ${likert("l")} as t1, ${likert("l")} as t2,
                least(10, greatest(0, round(10 * l + 1 + (random() - 0.5) * 4)))::int as nps,
                ${pick(["hardly_any", "less_than_half", "about_half", "more_than_half", "almost_all"], "l")} as wallet,
                ${pick(["no", "maybe", "yes"], "l - 0.15")} as ambassador,
                ${pick(["no", "maybe", "yes"], "l - 0.1")} as cocreation,
                random() < 0.25 as commented, random() < 0.8 as ja,
                now() - random() * interval '90 days' as at
         from latent
       ), scores as (
         select *,
                (a1 + a2 - 2) / 8.0 * 100 as attachment,
                ((p1 - 1) / 4.0 * 100 + (100 - (p2 - 1) / 4.0 * 100)) / 2 as preference,
                (c1 + c2 - 2) / 8.0 * 100 as continuity,
                (t1 + t2 - 2) / 8.0 * 100 as trust,
                nps * 10.0 as recommend
         from items
       )
       insert into survey_responses (survey_id, channel, submission_id, locale, answers, psych_score, nps_score, nps_category, construct_scores, loyalty_scores, submitted_at)
       select ${surveyId}, 'open', gen_random_uuid(), case when ja then 'ja' else 'en' end,
              jsonb_build_object('attach1', a1, 'attach2', a2, 'pref1', p1, 'pref2', p2, 'cont1', c1, 'cont2', c2,
                                 'trust1', t1, 'trust2', t2, 'nps', nps, 'wallet', wallet, 'ambassador', ambassador, 'cocreation', cocreation)
                || case when commented then jsonb_build_object('comment', case when ja then 'いつも丁寧な接客をありがとうございます。' else 'Delivery could be faster.' end) else '{}'::jsonb end,
              round((attachment + preference + continuity + trust + recommend) / 5, 1),
              nps,
              case when nps >= 9 then 'promoter' when nps >= 7 then 'passive' else 'detractor' end,
              jsonb_build_object('attachment', round(attachment, 1), 'preference', round(preference, 1), 'continuity', round(continuity, 1),
                                 'trust', round(trust, 1), 'recommend', round(recommend, 1)),
              -- alphaLayout of the template: per two-item construct its 0–100 item scores (pref2 reversed)
              -- and their total (attachment, preference, continuity, trust; recommend has one item).
              array[(a1 - 1) * 25.0, (a2 - 1) * 25.0, (a1 + a2 - 2) * 25.0,
                    (p1 - 1) * 25.0, 100 - (p2 - 1) * 25.0, (p1 - 1) * 25.0 + 100 - (p2 - 1) * 25.0,
                    (c1 - 1) * 25.0, (c2 - 1) * 25.0, (c1 + c2 - 2) * 25.0,
                    (t1 - 1) * 25.0, (t2 - 1) * 25.0, (t1 + t2 - 2) * 25.0]::float8[],
              at
       from scores`,
    );
    log(`fill: ${start + n} of ${count}`);
  }
}

/** Median of 7 calls after 1 warm-up, and the median of each of the function's queries over those calls. */
async function timeResults(db: Db, surveyId: number, segment: "loyal_active" | null) {
  const calls: number[][] = [];
  let current: number[] = [];
  // The same database, with each statement timed: getSurveyResults runs its queries one after another,
  // through execute() or drizzle's builder (whose chained methods return the builder itself, and whose
  // query runs when it is awaited: its then() is timed).
  const timed = <T extends object>(builder: T): T =>
    new Proxy(builder, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== "function") return value;
        if (key === "then") {
          return (resolve: (v: unknown) => unknown, reject: (e: unknown) => unknown) => {
            const t0 = performance.now();
            return (value as (a: unknown, b: unknown) => Promise<unknown>).call(
              target,
              (v: unknown) => (current.push(performance.now() - t0), resolve(v)),
              (e: unknown) => (current.push(performance.now() - t0), reject(e)),
            );
          };
        }
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          return result === target ? receiver : result && typeof result === "object" && "then" in result ? timed(result) : result;
        };
      },
    });
  const timedDb = new Proxy(db, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key === "execute") {
        return async (query: unknown) => {
          const t0 = performance.now();
          try {
            return await (value as (q: unknown) => Promise<unknown>).call(target, query);
          } finally {
            current.push(performance.now() - t0);
          }
        };
      }
      if (key === "select" || key === "selectDistinct") {
        return (...args: unknown[]) => {
          const builder = (value as (...a: unknown[]) => { from: (...f: unknown[]) => object }).apply(target, args);
          return new Proxy(builder, {
            get(b, k, r) {
              const v = Reflect.get(b, k, r);
              return k === "from" ? (...f: unknown[]) => timed((v as (...x: unknown[]) => object).apply(b, f)) : v;
            },
          });
        };
      }
      return value;
    },
  });
  const call = async () => {
    current = [];
    await getSurveyResults(surveyId, segment, timedDb);
    calls.push(current);
  };
  await call(); // warm-up
  calls.length = 0;
  const ms = await medianMs(call, 7, 0);
  const queries = calls[0]!.map((_, i) => median(calls.map((c) => c[i]!)));
  return { ms, queries };
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

if (process.env[FLOOR_CHILD_ENV] === "1") void floorServer();
