// One import: its progress while it runs, then the report (counts of rows, the first 100 invalid rows
// each with all its errors, every error as CSV)
// and, for a rejected file, "import the valid rows only".
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { groupByRow, ImportErrorsTable } from "~/components/import-errors";
import { ImportStatusBadge } from "~/components/import-status";
import { Alert, Button, Card, PageHeader, StatCard } from "~/components/ui";
import { describeError, importMessages } from "~/domain/import/messages";
import { roleAllows } from "~/domain/roles";
import { canRetryValidOnly, retryValidOnly } from "~/services/import/jobs.server";
import { getImportJob, importProgress } from "~/services/import/import.server";
import { requireRole, requireRoleRecent } from "~/utils/auth.server";
import { idParam } from "~/utils/params.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request, params }: LoaderFunctionArgs) {
  // While an import runs, the embedded database is busy with its transaction: answer from memory.
  const user = await requireRoleRecent(request, "viewer");
  const id = idParam(params.id);
  const running = importProgress().get(id);
  if (running) return { running, job: null, errors: [], canImport: roleAllows(user.role, "staff"), canRetry: false };
  // Opening a job first marks jobs whose lease ran out as failed ("interrupted").
  const found = await getImportJob(id);
  if (!found) throw new Response("Not Found", { status: 404 });
  return { running: null, ...found, canImport: roleAllows(user.role, "staff"), canRetry: canRetryValidOnly(found.job) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "staff");
  const newId = await retryValidOnly(idParam(params.id), user.id);
  if (!newId) throw new Response("Conflict", { status: 409 });
  throw redirect(`/staff/imports/${newId}`);
}

export default function ImportJob() {
  const { running, job, errors, canImport, canRetry } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 700);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  const lang = i18n.language === "en" ? "en" : "ja";

  if (running) {
    const share = running.bytesTotal ? Math.min(1, running.bytesRead / running.bytesTotal) : 0;
    return (
      <>
        <PageHeader title={t("imports.running")} />
        <Card>
          <div role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(share * 100)} aria-label={t("imports.running")} data-testid="import-progress">
            <div className="progress">
              <span style={{ width: `${share * 100}%` }} />
            </div>
          </div>
          <p className="muted">
            {t(`imports.phases.${running.phase}`)} · {t("imports.rowsSoFar", { rows: f.number(running.rowsRead), invalid: f.number(running.rowsInvalid) })}
          </p>
        </Card>
      </>
    );
  }
  if (!job) return null;
  // A row with a bad date and a bad amount is one invalid row with two errors.
  const rowsInvalid = job.rowsRead - job.rowsValid;
  const invalidRows = groupByRow(errors.map((e) => ({ ...e, reason: importMessages[lang][e.reason] })));
  const fileError = job.fileError as unknown as { reason: string; column?: string; row?: number | null; message?: string } | null;
  return (
    <>
      <PageHeader
        title={job.fileName}
        subtitle={
          <>
            {t(`imports.${job.kind}`)} · <ImportStatusBadge status={job.status} /> · {f.dateTime(job.createdAt)}
          </>
        }
        actions={
          <Link to="/staff/imports" className="button button-ghost">
            {t("imports.title")}
          </Link>
        }
      />
      {job.status === "done" ? <Alert tone="success">{t("imports.doneMessage", { inserted: f.number(job.inserted), updated: f.number(job.updated) })}</Alert> : null}
      {job.status === "rejected" && rowsInvalid > 0 ? <Alert tone="error">{t("imports.rejectedMessage", { count: rowsInvalid })}</Alert> : null}
      {fileError ? (
        <Alert tone="error">
          {fileError.reason === "missing_column" || fileError.reason === "duplicate_column" || fileError.reason === "malformed_csv"
            ? describeError({ row: fileError.row ?? 0, column: fileError.column ?? "", value: "", reason: fileError.reason }, lang)
            : fileError.reason === "interrupted"
              ? t("imports.interrupted")
              : t("imports.failedMessage", { message: fileError.message ?? fileError.reason })}
        </Alert>
      ) : null}
      <div className="grid stats">
        <StatCard label={t("imports.rows")} value={f.number(job.rowsRead)} hint={job.encoding ? t("imports.encoding", { encoding: job.encoding }) : undefined} />
        <StatCard label={t("imports.valid")} value={f.number(job.rowsValid)} />
        <StatCard label={t("imports.invalid")} value={f.number(rowsInvalid)} hint={job.errorCount > 0 ? t("imports.errorCount", { count: job.errorCount }) : undefined} />
        <StatCard label={t("imports.written")} value={f.number(job.inserted + job.updated)} hint={job.customersCreated ? t("imports.customersCreated", { count: job.customersCreated }) : undefined} />
      </div>
      {job.errorCount > 0 ? (
        <Card
          title={t("imports.errorTitle", { shown: invalidRows.length, count: rowsInvalid })}
        >
          <div className="row gap">
            <a className="button button-secondary" href={`/staff/imports/${job.id}/errors.csv`} download>
              {t("imports.downloadErrors")}
            </a>
            {canRetry && canImport ? (
              <Form method="post">
                <Button busy={navigation.state === "submitting"}>{t("imports.importValidOnly", { count: job.rowsValid })}</Button>
              </Form>
            ) : null}
          </div>
          {job.status === "rejected" && !canRetry && job.rowsValid > 0 ? <p className="muted small">{t("imports.fileNotKept")}</p> : null}
          <ImportErrorsTable rows={invalidRows} />
        </Card>
      ) : null}
    </>
  );
}
