// Importing past answers into a survey: upload a CSV (customer_id, submitted_at, one column per
// question key). The whole file is checked first; any bad row and nothing is written, unless staff
// choose "import the valid rows only". The report lists row, column, value and reason.
import { Readable } from "node:stream";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { groupByRow, ImportErrorsTable } from "~/components/import-errors";
import { Alert, Button, Card, PageHeader } from "~/components/ui";
import { roleAllows } from "~/domain/roles";
import { getSurvey } from "~/models/surveys.server";
import { importResponses, type ResponseImportResult } from "~/services/survey-import.server";
import { idParam } from "~/utils/params.server";
import { requireRole } from "~/utils/auth.server";
import { csvLines } from "~/utils/csv";
import { useFormat } from "~/utils/use-format";

/** Past answers come in thousands, not millions: the file is read in memory. */
const MAX_BYTES = 50 * 1024 * 1024;
const SHOWN = 100;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const survey = await getSurvey(idParam(params.id));
  if (!survey) throw new Response("Not found", { status: 404 });
  return { id: survey.id, title: survey.title, keys: survey.questions.map((q) => q.key), canImport: roleAllows(user.role, "staff") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireRole(request, "staff");
  const id = idParam(params.id);
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_BYTES }));
  } catch {
    return data({ error: "surveys.import.tooLarge", result: null }, { status: 413 });
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return data({ error: "imports.chooseFile", result: null }, { status: 400 });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const result = await importResponses({ surveyId: id, open: () => Readable.from([bytes]), validOnly: form.get("validOnly") === "1" });
  // The report shows the first 100 problems; all of them go along for the CSV download.
  return data({ error: null, result }, { status: result.status === "done" ? 200 : 400 });
}

export default function ImportResponses() {
  const { id, title, keys, canImport } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const formRef = useRef<HTMLFormElement>(null);
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const busy = fetcher.state !== "idle";
  const result = fetcher.data?.result as ResponseImportResult | null | undefined;
  const submit = (validOnly: boolean) => {
    if (!formRef.current) return;
    const body = new FormData(formRef.current);
    if (validOnly) body.set("validOnly", "1");
    fetcher.submit(body, { method: "post", encType: "multipart/form-data" });
  };
  const downloadErrors = () => {
    if (!result) return;
    const rows = [["row", "column", "value", "reason"], ...result.errors.map((e) => [e.row, e.column, e.value, t(e.reason, { defaultValue: e.reason })])];
    const blob = new Blob(["\uFEFF" + csvLines(rows)], { type: "text/csv;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `survey-${id}-import-errors.csv`;
    link.click();
  };

  return (
    <>
      <PageHeader
        title={t("surveys.import.title")}
        subtitle={<Link to={`/staff/surveys/${id}`}>← {title[i18n.language as "ja" | "en"] || title.ja}</Link>}
      />
      <Card title={t("surveys.import.file")}>
        <p className="small muted">{t("surveys.import.format", { keys: keys.join(", ") })}</p>
        {canImport ? null : <Alert>{t("imports.viewerReadOnly")}</Alert>}
        <form ref={formRef} className="stack" onSubmit={(e) => (e.preventDefault(), submit(false))}>
          <input type="file" name="file" accept=".csv,.tsv,.txt,text/csv" required disabled={!canImport} aria-label={t("surveys.import.file")} />
          <div className="row gap">
            <Button type="submit" busy={busy} disabled={busy || !canImport}>
              {t("surveys.import.submit")}
            </Button>
          </div>
        </form>
      </Card>
      {fetcher.data?.error ? <Alert tone="error">{t(fetcher.data.error)}</Alert> : null}
      {result ? (
        <Card title={t("surveys.import.report")}>
          {result.status === "done" ? (
            <Alert tone="success">{t("surveys.import.done", { inserted: f.number(result.inserted), duplicates: f.number(result.duplicates), rows: f.number(result.rowsRead) })}</Alert>
          ) : (
            <Alert tone="error">
              {result.fileError ? t(result.fileError) : t("surveys.import.rejected", { errors: f.number(result.errorCount), valid: f.number(result.rowsValid), rows: f.number(result.rowsRead) })}
            </Alert>
          )}
          {result.errors.length > 0 ? (
            <>
              <ImportErrorsTable rows={groupByRow(result.errors.slice(0, SHOWN).map((e) => ({ ...e, reason: t(e.reason, { defaultValue: e.reason }) })))} />
              <div className="row gap wrap">
                <Button type="button" variant="secondary" onClick={downloadErrors}>
                  {t("surveys.import.downloadErrors", { count: result.errorCount })}
                </Button>
                {result.status === "rejected" && !result.fileError && result.rowsValid > 0 ? (
                  <Button type="button" onClick={() => submit(true)} disabled={busy}>
                    {t("surveys.import.validOnly", { count: result.rowsValid })}
                  </Button>
                ) : null}
              </div>
            </>
          ) : null}
        </Card>
      ) : null}
    </>
  );
}
