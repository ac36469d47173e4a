// Start-up failures a user can cause: a busy embedded database, a bad DATABASE_URL, a missing secret.
// Each stops the command with a message naming the cause, and leaves the data folder intact.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
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

  it("takes over a lock left by a process that died", async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, "portal.lock"), "2147483646");
    const handle = await openDatabase({ dataDir });
    await handle.close();
    expect(fs.existsSync(path.join(dataDir, "portal.lock"))).toBe(false);
  });

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
