// Once per browser-test run: the demo's data seeded once into a template folder (about 40 s on a busy
// 2-core machine), which every browser test file that starts the demo copies instead of seeding again.
// The copy is an embedded database closed cleanly by `portal seed-demo`; the seed's report goes along,
// so a test can still read what the demo said it loaded. The demo's emails carry links to the portal's
// address, so the seed and every copy served use one port, free when the run starts (the test files
// run one after another, each stopping its portal before the next starts).
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

export const E2E_SECRET = "e2e-secret-e2e-secret-e2e-secret-e2e-secret";

declare module "vitest" {
  export interface ProvidedContext {
    demoTemplate: { dir: string; output: string; port: number } | null;
  }
}

export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-e2e-demo-"));
  const port = await freePort();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(path.resolve("node_modules/.bin/tsx"), ["app/cli/portal.ts", "seed-demo"], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", SESSION_SECRET: E2E_SECRET, DATA_DIR: dir, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    child.stdout.on("data", (chunk) => (text += chunk));
    child.stderr.on("data", (chunk) => (text += chunk));
    child.once("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`portal seed-demo exited with ${code}:\n${text}`))));
  });
  project.provide("demoTemplate", { dir, output, port });
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
