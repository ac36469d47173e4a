// `portal import customers|purchases FILE [--valid-only]`, `portal import responses SURVEY_ID FILE`, `portal import survey FILE`,
// `portal export customers [FILE] [--as-of DATE]` and `portal export survey ID [FILE]`.
import fs from "node:fs";
import { parseArgs } from "node:util";
import { describeError } from "~/domain/import/messages";
import { describeSurveyFileProblem } from "~/schemas/survey-file";
import { exportColumns, exportCustomerRows } from "~/models/customers.server";
import { refreshBehaviour, refreshBehaviourIfStale } from "~/services/behaviour.server";
import { runImport, type ImportProgress } from "~/services/import/import.server";
import { exportSurveyFile, importSurveyFile } from "~/services/survey-file.server";
import { importResponses } from "~/services/survey-import.server";
import { csvLines } from "~/utils/csv.server";
import { getFixedT } from "~/utils/locale.server";

export class UsageError extends Error {
  name = "UsageError";
}

const locale = (): "ja" | "en" => ((process.env.LANG ?? "").startsWith("ja") ? "ja" : "en");

export async function importCommand(args: string[]) {
  const { values, positionals } = parseArgs({ args, options: { "valid-only": { type: "boolean" } }, allowPositionals: true });
  const [kind, file] = positionals;
  if (kind === "responses") return importResponsesCommand(positionals.slice(1), Boolean(values["valid-only"]));
  if (kind === "survey") return importSurveyCommand(positionals.slice(1));
  if ((kind !== "customers" && kind !== "purchases") || !file) {
    throw new UsageError(
      "Usage: npm run portal -- import customers|purchases FILE [--valid-only]\n" +
        "       npm run portal -- import responses SURVEY_ID FILE [--valid-only]\n" +
        "       npm run portal -- import survey FILE",
    );
  }
  if (!fs.existsSync(file)) throw new UsageError(`No such file: ${file}`);
  const bytesTotal = fs.statSync(file).size;
  const result = await runImport({
    kind,
    fileName: file,
    mode: values["valid-only"] ? "valid_only" : "all_or_nothing",
    open: () => fs.createReadStream(file, { highWaterMark: 1 << 20 }),
    bytesTotal,
    onProgress: progressBar,
  });
  if (process.stderr.isTTY) process.stderr.write("\n");
  const lang = locale();
  for (const e of result.errors) console.error(describeError(e, lang));
  if (result.errorCount > result.errors.length) console.error(`… ${result.errorCount - result.errors.length} more (import job ${result.jobId}).`);
  if (result.fileError) {
    const reason = result.fileError.reason;
    console.error(
      reason === "missing_column" || reason === "duplicate_column"
        ? describeError({ row: 0, column: result.fileError.column ?? "", value: "", reason }, lang)
        : (result.fileError.message ?? reason),
    );
  }
  const summary = `${result.status}: ${result.rowsRead} rows read, ${result.rowsValid} valid, ${result.rowsInvalid} invalid (${result.errorCount} errors); ` +
    `${result.inserted} inserted, ${result.updated} updated, ${result.customersCreated} customers created (${result.seconds.toFixed(1)} s)`;
  if (result.status === "done") console.log(summary);
  else {
    console.error(summary);
    if (result.status === "rejected" && result.errorCount > 0) console.error("Nothing was written. Fix the rows, or run again with --valid-only to import the valid rows.");
    process.exitCode = 1;
  }
}

/** `portal import responses SURVEY_ID FILE`: past answers, checked like the web import, all or nothing. */
async function importResponsesCommand([surveyId, file]: string[], validOnly: boolean) {
  if (!surveyId || !/^\d+$/.test(surveyId) || !file) throw new UsageError("Usage: npm run portal -- import responses SURVEY_ID FILE [--valid-only]");
  if (!fs.existsSync(file)) throw new UsageError(`No such file: ${file}`);
  const t = await getFixedT(locale());
  const result = await importResponses({ surveyId: Number(surveyId), open: () => fs.createReadStream(file), validOnly });
  if (result.fileError) console.error(t(result.fileError));
  for (const e of result.errors.slice(0, 100)) console.error(`${t("surveys.import.row", { row: e.row })}, ${e.column}: ${e.value ? `“${e.value}” — ` : ""}${t(e.reason)}`);
  if (result.errorCount > 100) console.error(`… ${result.errorCount - 100} more.`);
  const summary = `${result.status}: ${result.rowsRead} rows read, ${result.rowsValid} valid, ${result.errorCount} errors; ${result.inserted} responses recorded, ${result.duplicates} already there`;
  if (result.status === "done") console.log(summary);
  else {
    console.error(summary);
    if (!result.fileError) console.error("Nothing was written. Fix the rows, or run again with --valid-only to import the valid rows.");
    process.exitCode = 1;
  }
}

/** `portal import survey FILE`: a survey file becomes a new draft; the last line of output is its id alone. */
async function importSurveyCommand([file, ...extra]: string[]) {
  if (!file || extra.length > 0) throw new UsageError("Usage: npm run portal -- import survey FILE");
  if (!fs.existsSync(file)) throw new UsageError(`No such file: ${file}`);
  const t = await getFixedT(locale());
  const result = await importSurveyFile(fs.readFileSync(file, "utf8"), null);
  if (!result.ok) {
    for (const problem of result.problems) console.error(describeSurveyFileProblem(problem, t));
    console.error(t("surveyFile.cli.rejected"));
    process.exitCode = 1;
    return;
  }
  console.log(t("surveyFile.cli.created", { id: result.id, count: result.questions }));
  console.log(String(result.id));
}

function progressBar(p: ImportProgress) {
  if (!process.stderr.isTTY) return;
  const share = p.bytesTotal ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
  const width = 30;
  const bar = "█".repeat(Math.round(share * width)).padEnd(width, "░");
  process.stderr.write(`\r${bar} ${(share * 100).toFixed(0).padStart(3)}%  ${p.rowsRead.toLocaleString()} rows  ${p.errorCount} errors  ${p.phase}   `);
}

export async function exportCommand(args: string[]) {
  const { values, positionals } = parseArgs({ args, options: { "as-of": { type: "string" } }, allowPositionals: true });
  const [what, file] = positionals;
  if (what === "survey") return exportSurveyCommand(positionals.slice(1));
  if (what !== "customers") {
    throw new UsageError("Usage: npm run portal -- export customers [FILE] [--as-of YYYY-MM-DD]\n       npm run portal -- export survey ID [FILE]");
  }
  const asOf = values["as-of"];
  if (asOf !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf)))) {
    throw new UsageError(`--as-of: not a date (YYYY-MM-DD): ${asOf}`);
  }
  // The export reads the metrics table: compute it as of the date asked, or bring it to today if the
  // daily refresh has not run yet.
  await (asOf ? refreshBehaviour({ asOf }) : refreshBehaviourIfStale());
  const out = file ? fs.createWriteStream(file) : process.stdout;
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r())));
  await write(csvLines([[...exportColumns]]));
  let n = 0;
  for await (const rows of exportCustomerRows({ sort: "id" })) {
    n += rows.length;
    await write(csvLines(rows));
  }
  if (file) {
    await new Promise<void>((resolve, reject) => (out as fs.WriteStream).end((e?: Error | null) => (e ? reject(e) : resolve())));
    console.error(`${n} customers written to ${file}.`);
  }
}

/** `portal export survey ID [FILE]`: the survey as a JSON file, to standard output without FILE. */
async function exportSurveyCommand([id, file, ...extra]: string[]) {
  if (!id || !/^\d+$/.test(id) || extra.length > 0) throw new UsageError("Usage: npm run portal -- export survey ID [FILE]");
  const json = await exportSurveyFile(Number(id));
  if (json === null) throw new UsageError((await getFixedT(locale()))("surveyFile.cli.notFound", { id }));
  // Standard output carries the file alone (no translator is started on this path: i18next greets on stdout).
  if (!file) return void process.stdout.write(json);
  fs.writeFileSync(file, json);
  console.error(`Survey ${id} written to ${file}.`);
}
