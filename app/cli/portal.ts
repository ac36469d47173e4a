// The `portal` command: `npm run portal -- <command>`. Also behind `npm start`, `npm run demo`
// and `npm run db:migrate`.
import { openDatabase, setDatabase, DatabaseStartupError, type DatabaseHandle } from "../../db/client.server";
import { EnvError, getEnv, setListeningPort } from "../utils/env.server";
import { importMinFreeBytes } from "../models/import-files.server";
import { refreshBehaviourIfStale } from "../services/behaviour.server";
import { tidyImports } from "../services/import/jobs.server";
import { drainOutbox, startMailWorker } from "../services/mail-worker.server";
import { sendDueReminders } from "../services/survey-distribution.server";
import { remindAndExpireInvitations } from "../services/programme.server";
import { remindUpcomingEvents } from "../services/events.server";
import { expireAllJobs, startJobRunner, stopJobRunner } from "../services/jobs/runner.server";
import { startServer } from "./server";
import { logError } from "../utils/log.server";

const usage = `Usage: npm run portal -- <command>

Commands:
  migrate        apply database migrations
  serve          migrate, then serve the portal on PORT (default 3000)
  demo           migrate, load demo data into an empty database, create the demo admin, serve
  seed-demo      load demo data into an empty database, then exit
  import customers|purchases FILE [--valid-only]
                 import a CSV file (UTF-8 or Shift_JIS; all or nothing unless --valid-only)
  import responses SURVEY_ID FILE [--valid-only]
                 import past survey answers (customer_id, submitted_at, one column per question key)
  export customers [FILE] [--as-of YYYY-MM-DD]
                 write the customer export (to standard output without FILE)
  export candidates ambassador|cocreation [FILE]
                 write a ranked candidate list with its reasons and the customer export's columns
  export members [FILE]
                 write the ambassador programme's members with certificate state, points and referrals
  export survey SURVEY_ID [FILE]
                 write a survey's title, texts and questions as JSON (to standard output without FILE)
  import survey FILE
                 create a new draft survey from such a file; prints its id on the last line
  results SURVEY_ID [--segment SEGMENT] [--json]
                 a survey's results (NPS with its interval, constructs with alpha, every question)
  worker [--once]
                 send queued email (several may run against PostgreSQL); --once: until nothing is due
`;

async function openFromEnv(): Promise<DatabaseHandle> {
  const env = getEnv();
  const handle = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATABASE_URL ? undefined : env.DATA_DIR });
  setDatabase(handle);
  return handle;
}

/**
 * Serves the portal and runs its mail worker and hourly jobs. `beforeAnnounce` runs once the server
 * listens, before its address is printed and the worker starts: the demo loads its data and queues its
 * mail there, so the links in that mail name the port the server got (PORT=0 picks one).
 */
async function serve(handle: DatabaseHandle, beforeAnnounce?: () => Promise<void>) {
  const env = getEnv();
  importMinFreeBytes(); // a bad IMPORT_MIN_FREE_BYTES stops the start, naming it
  // Imports whose process is gone are marked failed, and upload files no job needs are removed.
  await tidyImports({ handle, startUp: true });
  // Background jobs (survey sends, imports): on the embedded database every running job's process is
  // gone (its folder lock is ours); on PostgreSQL the runner finds lapsed leases as it goes.
  if (handle.kind === "pglite") await expireAllJobs();
  const server = await startServer({ port: env.PORT });
  const where = handle.kind === "pglite" ? `embedded database in ${env.DATA_DIR}` : "PostgreSQL";
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  setListeningPort(port);
  await beforeAnnounce?.();
  console.log(`Loyalty Portal listening on http://localhost:${port} (${where})`);
  // Email goes out from the same process unless a separate `npm run worker` does it (PostgreSQL only:
  // the embedded database has a single process).
  const worker = env.MAIL_WORKER === "1" ? startMailWorker() : null;
  startJobRunner();
  const shutdown = () => {
    server.close();
    // Let a send in progress finish and be recorded before the database closes.
    void (async () => {
      await stopJobRunner();
      await worker?.stop();
      await handle.close();
    })().finally(() => process.exit(0));
  };
  // Hourly: the daily refresh of the behaviour metrics when stale, import clean-up (expired leases, upload
  // files no job needs), survey reminders that fell due, the programme's invitation reminders and expiry,
  // and the town meetings' reminders to confirmed attendees in the day before.
  const daily = setInterval(() => {
    void refreshBehaviourIfStale().catch((e) => logError("metrics refresh failed", e));
    void tidyImports({ handle }).catch((e) => logError("import clean-up failed", e));
    void sendDueReminders().catch((e) => logError("survey reminders failed", e));
    void remindAndExpireInvitations().catch((e) => logError("programme invitations: reminders and expiry failed", e));
    void remindUpcomingEvents().catch((e) => logError("event reminders failed", e));
  }, 3_600_000);
  daily.unref();
  await refreshBehaviourIfStale();
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

async function main(argv: string[]) {
  const [command] = argv;
  switch (command) {
    case "migrate": {
      const handle = await openFromEnv();
      await handle.close();
      console.log("Migrations applied.");
      return;
    }
    case "serve":
      await serve(await openFromEnv());
      return;
    case "seed-demo": {
      const handle = await openFromEnv();
      const { prepareDemo } = await import("../services/demo.server");
      console.log((await prepareDemo(getEnv())).message);
      return void (await handle.close());
    }
    case "demo": {
      const handle = await openFromEnv();
      const { prepareDemo } = await import("../services/demo.server");
      let signIn = "";
      await serve(handle, async () => {
        const report = await prepareDemo(getEnv());
        console.log(report.message);
        signIn = report.signIn;
      });
      console.log(signIn);
      return;
    }
    case "import":
    case "export": {
      const handle = await openFromEnv();
      try {
        if (command === "export" && argv[1] === "candidates") {
          const { exportCandidatesCommand } = await import("./candidates-command");
          await exportCandidatesCommand(argv.slice(2));
        } else if (command === "export" && argv[1] === "members") {
          const { exportMembersCommand } = await import("./members-command");
          await exportMembersCommand(argv.slice(2));
        } else {
          const { importCommand, exportCommand } = await import("./data-commands");
          await (command === "import" ? importCommand : exportCommand)(argv.slice(1));
        }
      } finally {
        await handle.close();
      }
      return;
    }
    case "results": {
      const handle = await openFromEnv();
      try {
        const { resultsCommand } = await import("./results-command");
        await resultsCommand(argv.slice(1));
      } finally {
        await handle.close();
      }
      return;
    }
    case "worker": {
      const handle = await openFromEnv();
      if (argv.includes("--once")) {
        const sends = await drainOutbox();
        console.log(`Mail worker: ${sends} send(s) made; nothing more is due.`);
        return void (await handle.close());
      }
      const worker = startMailWorker();
      console.log("Mail worker running; Ctrl-C stops it.");
      const stop = () => void worker.stop().then(() => handle.close()).finally(() => process.exit(0));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      return;
    }
    default:
      console.log(usage);
      if (command && command !== "help" && command !== "--help") process.exitCode = 1;
  }
}

// `portal export customers | head`: a closed pipe ends the command quietly.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof EnvError || error instanceof DatabaseStartupError || (error instanceof Error && error.name === "UsageError")) {
    console.error(`\n${error.message}\n`);
  } else {
    logError("portal", error);
  }
  process.exit(1);
});
