// A clean, migrated database for each test: PGlite in memory by default, a fresh copy of the
// migrated template on real PostgreSQL when TEST_DATABASE_URL is set. Never a mock.
import crypto from "node:crypto";
import postgres from "postgres";
import { afterEach, beforeEach } from "vitest";
import { openDatabase, setDatabase, type DatabaseHandle } from "../../db/client.server";
import { TEMPLATE_DB, withDatabase } from "./db-global";

export const usingPostgres = Boolean(process.env.TEST_DATABASE_URL);

// PGlite: migrate one database per worker, dump it, and start every test from that dump
// (loading a dump takes a fraction of creating and migrating a fresh instance).
let pgliteTemplate: Promise<Blob> | undefined;
async function migratedPgliteDump() {
  pgliteTemplate ??= (async () => {
    const handle = await openDatabase({});
    const client = (handle.db as unknown as { $client: { dumpDataDir(c: "none"): Promise<Blob> } }).$client;
    const dump = await client.dumpDataDir("none");
    await handle.close();
    return dump;
  })();
  return pgliteTemplate;
}

export async function createTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return openDatabase({ loadDataDir: await migratedPgliteDump(), migrate: false });
  const name = `portal_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const handle = await openDatabase({ url: withDatabase(url, name), migrate: false });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const cleanup = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

/** Registers beforeEach/afterEach hooks: each test gets its own database as the process-wide one. */
export function useTestDatabase(): { readonly current: DatabaseHandle } {
  const state: { current?: DatabaseHandle } = {};
  beforeEach(async () => {
    state.current = await createTestDatabase();
    setDatabase(state.current);
  });
  afterEach(async () => {
    setDatabase(undefined);
    await state.current?.close();
    state.current = undefined;
  });
  return {
    get current() {
      if (!state.current) throw new Error("no test database outside a test");
      return state.current;
    },
  };
}
