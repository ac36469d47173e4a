// Uploaded import files are kept beside the embedded data (DATA_DIR/imports) until the import is done,
// so a rejected file can be imported again with "valid rows only" without another upload.
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "~/utils/env.server";

export function importsDir() {
  const dir = path.resolve(getEnv().DATA_DIR, "imports");
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function importFilePath(jobId: number) {
  return path.join(importsDir(), `job-${jobId}.csv`);
}
