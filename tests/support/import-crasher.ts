// A process that starts a purchase import which never ends (its file keeps arriving, slowly) and says
// "importing <job id>" once rows are going in, so a test can kill it mid-import (tests/db/import-lease.test.ts).
// DATABASE_URL: PostgreSQL; otherwise the embedded database in DATA_DIR. LEASE_MS: the job's lease.
import { openDatabase, setDatabase } from "../../db/client.server";
import { runImport } from "~/services/import/import.server";

const handle = await openDatabase({ url: process.env.DATABASE_URL, dataDir: process.env.DATABASE_URL ? undefined : process.env.DATA_DIR });
setDatabase(handle);

async function* endlessFile() {
  yield Buffer.from("customer_id,purchased_at,amount,order_id\n");
  for (let n = 1; ; n++) {
    yield Buffer.from(Array.from({ length: 2000 }, (_, i) => `K${n}-${i},2024-01-01,100,K-${n}-${i}\n`).join(""));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let told = false;
await runImport({
  kind: "purchases",
  fileName: "endless.csv",
  mode: "all_or_nothing",
  refresh: false,
  open: () => endlessFile(),
  onProgress: (progress) => {
    if (!told && progress.rowsRead > 0) {
      told = true;
      console.log(`importing ${progress.jobId}`);
    }
  },
}, undefined, { strategy: "staged", leaseMs: Number(process.env.LEASE_MS ?? 60_000), heartbeatMs: 200 });
