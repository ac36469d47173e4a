// `npm run bench -- <benchmark> [options]`: runs one benchmark and prints exactly one JSON object on
// stdout. Everything else (progress, logs, errors) goes to stderr, so the output can be piped to jq or
// appended to a results file.
//
//   npm run bench -- behaviour [--customers N] [--purchases M]
//   npm run bench -- email [--messages N] [--rate R] [--concurrency C]
//   npm run bench -- surveys [--responses N] [--connections C] [--duration S]
//   npm run bench -- events [--invitees N] [--seats S]
//   npm run bench -- potential [--customers N] [--purchases M]
//
// The database is the real PostgreSQL server of DATABASE_URL when it is set (in a fresh, temporary
// database that is dropped afterwards), else the embedded PGlite in a temporary folder.

import { UsageError, interrupted } from "./lib";

const USAGE = `usage: npm run bench -- <benchmark> [options]

benchmarks:
  behaviour [--customers N] [--purchases M]
      Import a generated purchases CSV (vs a bare COPY), refresh the behaviour metrics (vs a plain
      GROUP BY) and time the customer list, CPM matrix and cohort queries.
      Defaults: --customers 10000 --purchases 100000.
  email [--messages N] [--rate R] [--concurrency C]
      Send N survey invitations through outbox + worker + Resend SDK to a fake Resend API on
      127.0.0.1 limited to R requests/s (default 5, Resend's default), vs that fake's own ceiling
      with the same batches of 100. Defaults: --messages 10000 --rate 5 --concurrency 4.
  surveys [--responses N] [--connections C] [--duration S]
      Submit answers to a survey's open link on the built portal (a child process; build/index.js
      is built when missing) with autocannon, C connections for S seconds after a 2 s warm-up, vs a
      bare node:http server doing one INSERT per answer; then fill the survey to N responses and time its
      results (getSurveyResults, overall and for one segment). The submit part needs DATABASE_URL
      (PGlite is single-process): on PGlite it is skipped and its keys are null.
      Defaults: --responses 100000 --connections 50 --duration 15.
  events [--invitees N] [--seats S]
      A town meeting with S seats: N invitees (set up through the events service, their links read
      from the invitation emails in the outbox) all answer "attend" at once over HTTP on the built
      portal (a child process; build/index.js is built when missing); the seats given are checked
      (S confirmed, the rest waitlisted, none over capacity, none out of answer order). Then two doors
      scan every confirmed ticket at once (a staff session signed in through /login): each is checked
      in once. On PostgreSQL the bench reads the database while the portal runs; on PGlite (one
      process) the bench sets the folder up and lets go of it, the portal serves it, and the figures and
      tickets are read with the portal stopped (it is stopped after the answers and started again for
      the doors). Defaults: --invitees 200 --seats 50.
  potential [--customers N] [--purchases M]
      The behaviour bench's purchases imported and refreshed; then the customer potential refit:
      fit_s (BG/NBD + Gamma-Gamma on the distinct combinations), score_s (every customer's three
      figures written), groupby_s (the behaviour bench's bare GROUP BY, same run) and
      potential_ratio = (fit_s + score_s) / groupby_s (target <= 1).
      Defaults: --customers 10000 --purchases 100000.

With DATABASE_URL set, runs on that PostgreSQL server in a temporary database portal_bench_<random>
(created and dropped by the bench); otherwise on PGlite in a temporary folder.
The result is one JSON object on stdout; progress goes to stderr.`;

type Benchmark = (args: string[]) => Promise<object>;

const benchmarks: Record<string, () => Promise<Benchmark>> = {
  behaviour: async () => (await import("./behaviour")).runBehaviourBench,
  email: async () => (await import("./email")).runEmailBench,
  surveys: async () => (await import("./surveys")).runSurveysBench,
  events: async () => (await import("./events")).runEventsBench,
  candidates: async () => (await import("./candidates")).runCandidatesBench,
  potential: async () => (await import("./potential")).runPotentialBench,
};

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  if (name === "--help" || name === "-h" || name === "help") {
    process.stderr.write(USAGE + "\n");
    return 0;
  }
  const load = name === undefined ? undefined : benchmarks[name];
  if (!load) {
    process.stderr.write((name === undefined ? "" : `Unknown benchmark: ${name}\n\n`) + USAGE + "\n");
    return 1;
  }
  // Stdout carries the result only: anything a library logs goes to stderr instead.
  const writeStdout = process.stdout.write.bind(process.stdout);
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  try {
    const result = await (await load())(args);
    await new Promise<void>((resolve, reject) => writeStdout(JSON.stringify(result) + "\n", (e) => (e ? reject(e) : resolve())));
    return 0;
  } catch (error) {
    if (interrupted) {
      process.stderr.write(`bench ${name}: interrupted\n`);
      return 130;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    } else {
      process.stderr.write(`bench ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    return 1;
  }
}

// Exit explicitly: a pool or timer someone forgot must not keep a finished bench hanging.
main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`bench: ${String(error)}\n`);
    process.exit(1);
  },
);
