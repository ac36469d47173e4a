import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "~": path.resolve(__dirname, "app") };
// Uploads and other files go to a scratch folder, never the repository's ./data.
const env = {
  NODE_ENV: "test" as const,
  SESSION_SECRET: "test-secret-test-secret-test-secret-0123456789",
  DATA_DIR: path.join(os.tmpdir(), "portal-test-data"),
};

// Every project starts from the same environment, whatever the caller's (tests/setup/env.ts).
const setupFiles = ["tests/setup/env.ts"];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        // The differential tests (SQL against TypeScript rules, readers against csv-parse) run thousands
        // of cases: 5 s is too short for them on a busy 2-core machine.
        test: { name: "unit", include: ["tests/unit/**/*.test.{ts,tsx}"], env, setupFiles, testTimeout: 30_000 },
      },
      {
        resolve: { alias },
        test: {
          name: "db",
          include: ["tests/db/**/*.test.{ts,tsx}"],
          env,
          setupFiles,
          globalSetup: ["tests/setup/db-global.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.{ts,tsx}"],
          env,
          setupFiles,
          // The demo's data, seeded once and copied by each test file that starts the demo.
          globalSetup: ["tests/setup/e2e-global.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // A page waits for a server that hashes passwords and refreshes statistics on a busy 2-core
          // machine: a second is not enough for what a user sees in a few.
          expect: { poll: { timeout: 10_000 } },
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
