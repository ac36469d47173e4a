// Once per run: on real PostgreSQL (TEST_DATABASE_URL), a migrated template database that every test
// copies (CREATE DATABASE ... TEMPLATE is a fast file copy). On PGlite nothing is shared.
import postgres from "postgres";
import { openDatabase } from "../../db/client.server";

export const TEMPLATE_DB = "portal_test_template";

export default async function setup() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await admin.unsafe(`create database ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const handle = await openDatabase({ url: withDatabase(url, TEMPLATE_DB) });
  await handle.close();
}

export function withDatabase(url: string, name: string) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}
