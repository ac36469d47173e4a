// Start-up failures a user can cause: a busy embedded database, a bad DATABASE_URL, a missing secret.
// Each stops the command with a message naming the cause, and leaves the data folder intact.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseStartupError, openDatabase } from "../../db/client.server";

const tsx = path.resolve("node_modules/.bin/tsx");
const dirs: string[] = [];
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-startup-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function portal(args: string[], env: Record<string, string | undefined>) {
  const result = spawnSync(tsx, ["app/cli/portal.ts", ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } as unknown as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A child process that takes or releases the folder lock when told to (tests/support/lock-racer.ts). */
function startRacer() {
  // One process (node with tsx loaded, not the tsx launcher), so that a kill reaches the lock holder.
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/lock-racer.ts"], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => String((await lines.next()).value);
  return {
    child,
    next,
    ask: (command: string) => {
      child.stdin!.write(`${command}\n`);
      return next();
    },
  };
}

describe("start-up", () => {
  it("refuses a second process on the embedded database with a clear message, then works once it is free", async () => {
    const dataDir = tempDir();
    const owner = await openDatabase({ dataDir });
    try {
      const second = portal(["migrate"], { DATA_DIR: dataDir });
      expect(second.status).toBe(1);
      expect(second.output).toContain(`The embedded database in ${dataDir} is in use by another process (pid ${process.pid})`);
      expect(second.output).toContain("Stop that process first");
      expect(second.output).not.toMatch(/\n\s+at /); // a message, not a stack trace
    } finally {
      await owner.close();
    }
    const after = portal(["migrate"], { DATA_DIR: dataDir });
    expect(after.output).toContain("Migrations applied.");
    expect(after.status).toBe(0);
  });

  it("opens a folder whose lock file was left by a process that died", async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, "portal.lock"), "2147483646");
    const handle = await openDatabase({ dataDir });
    expect(fs.readFileSync(path.join(dataDir, "portal.lock"), "utf8")).toBe(String(process.pid));
    await handle.close();
    // Released: the next owner opens it at once.
    await (await openDatabase({ dataDir })).close();
  });

  it("gives the folder to exactly one of two processes racing for it, many times over, also after a kill -9", async () => {
    const racers = [startRacer(), startRacer()];
    try {
      await Promise.all(racers.map((r) => r.next()));
      // A holder killed with SIGKILL leaves its lock file behind, as a crash would.
      const killedDir = tempDir();
      const holder = startRacer();
      await holder.next();
      expect(await holder.ask(`lock ${killedDir}`)).toBe("won");
      holder.child.kill("SIGKILL");
      await new Promise((resolve) => holder.child.once("exit", resolve));
      expect(fs.existsSync(path.join(killedDir, "portal.lock"))).toBe(true);

      for (let round = 0; round < 40; round++) {
        const dir = round === 0 ? killedDir : tempDir();
        if (round % 2 === 1) fs.writeFileSync(path.join(dir, "portal.lock"), "2147483646"); // stale, as after kill -9
        const answers = await Promise.all(racers.map((r) => r.ask(`lock ${dir}`)));
        expect(answers.sort(), `round ${round}`).toEqual(["lost", "won"]);
        await Promise.all(racers.map((r) => r.ask("release")));
      }
    } finally {
      for (const r of racers) r.child.kill();
    }
  }, 60_000);

  it("names DATABASE_URL when it cannot connect or is not a postgres URL", async () => {
    await expect(openDatabase({ url: "postgres://nobody:secret@127.0.0.1:1/nowhere" })).rejects.toThrow(DatabaseStartupError);
    const unreachable = portal(["migrate"], { DATABASE_URL: "postgres://nobody:secret@127.0.0.1:1/nowhere" });
    expect(unreachable.status).toBe(1);
    expect(unreachable.output).toContain("DATABASE_URL: cannot connect to postgres://nobody:***@127.0.0.1:1/nowhere");
    expect(unreachable.output).not.toContain("secret");
    const malformed = portal(["migrate"], { DATABASE_URL: "mysql://localhost/x" });
    expect(malformed.status).toBe(1);
    expect(malformed.output).toContain("DATABASE_URL: must be a postgres:// or postgresql:// URL");
  });

  it("refuses to serve in production without SESSION_SECRET", () => {
    const result = portal(["serve"], { NODE_ENV: "production", DATA_DIR: tempDir(), PORT: "0" });
    expect(result.status).toBe(1);
    expect(result.output).toContain("SESSION_SECRET: required in production");
  });
});
