// The candidate export (issue 16 item 3), shared by the staff download (/staff/candidates/export.csv)
// and `npm run portal -- export candidates ambassador|cocreation [FILE]`: the ranked list with
// customer_id, rank, rank_score and the reasons in words, then the customer export's columns for that
// customer (exportRowsOf: the same values and formats as the customer export). Streams in batches.
import fs from "node:fs";
import { candidateLists, type CandidateList, type CandidateView, type LoyaltySettings } from "~/domain/loyalty";
import { exportColumns, exportRowsOf } from "~/models/customers.server";
import { allCandidates, ensureLoyaltyFresh, getLoyaltySettings, type CandidateFilters } from "~/models/loyalty.server";
import { refreshBehaviourIfStale } from "~/services/behaviour.server";
import { describeReasons, reasonsOfRow, type Translate } from "~/utils/candidate-reasons";
import { csvLines } from "~/utils/csv.server";
import { getFixedT } from "~/utils/locale.server";
import type { Db } from "../../db/client.server";

/** The header: the list's own four columns, then the customer export's (customer_id appears twice: the customer export's is the same id). */
export const candidateExportColumns = ["customer_id", "rank", "rank_score", "reasons", ...exportColumns] as const;

/** The export's rows in batches, in rank order. */
export async function* candidateExportRows(
  list: CandidateList,
  settings: LoyaltySettings,
  t: Translate,
  options: { view?: CandidateView; filters?: CandidateFilters; db?: Db; batch?: number } = {},
): AsyncGenerator<(string | number | null)[][]> {
  for await (const batch of allCandidates(list, settings, options)) {
    const customers = await exportRowsOf(
      batch.map((r) => r.customer_id),
      options.db,
    );
    yield batch.map((r, i) => [
      r.external_id,
      r.rank,
      r.rank_score,
      describeReasons(reasonsOfRow(list, r, settings.candidates), t),
      ...(customers[i] ?? exportColumns.map(() => null)),
    ]);
  }
}

class UsageError extends Error {
  name = "UsageError";
}

const usage = "Usage: npm run portal -- export candidates ambassador|cocreation [FILE]";

/** `portal export candidates ambassador|cocreation [FILE]`: the whole list, reasons in English; standard output without FILE. */
export async function exportCandidatesCommand(args: string[]) {
  const [list, file, ...extra] = args;
  if (!(candidateLists as readonly string[]).includes(list ?? "") || extra.length > 0) throw new UsageError(usage);
  // The lists read the behaviour metrics and the survey statistics: bring both up to date first.
  await refreshBehaviourIfStale();
  await ensureLoyaltyFresh();
  const settings = await getLoyaltySettings();
  const t = (await getFixedT("en")) as unknown as Translate;
  const out = file ? fs.createWriteStream(file) : process.stdout;
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r())));
  await write(csvLines([[...candidateExportColumns]]));
  let n = 0;
  for await (const rows of candidateExportRows(list as CandidateList, settings, t, { view: "all" })) {
    n += rows.length;
    await write(csvLines(rows));
  }
  if (file) {
    await new Promise<void>((resolve, reject) => (out as fs.WriteStream).end((e?: Error | null) => (e ? reject(e) : resolve())));
    console.error(`${n} candidates written to ${file}.`);
  }
}
