// Imports: upload a CSV of customers or purchases (staff), see recent imports (everyone).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ImportStatusBadge } from "~/components/import-status";
import { Alert, Card, EmptyState, PageHeader, TableWrap } from "~/components/ui";
import { UploadForm } from "~/components/upload-form";
import { roleAllows } from "~/domain/roles";
import { listImportJobs } from "~/services/import/import.server";
import { requireRole } from "~/utils/auth.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  // Listing first marks jobs whose lease ran out as failed ("interrupted").
  return { jobs: await listImportJobs(), canImport: roleAllows(user.role, "staff") };
}

export default function Imports() {
  const { jobs, canImport } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <PageHeader title={t("imports.title")} subtitle={t("imports.subtitle")} />
      <div className="grid two">
        <Card title={t("imports.new")}>
          {canImport ? null : <Alert>{t("imports.viewerReadOnly")}</Alert>}
          {params.get("error")?.startsWith("imports.") ? <Alert tone="error">{t(params.get("error")!)}</Alert> : null}
          <UploadForm disabled={!canImport} />
        </Card>
        <Card title={t("imports.formats")}>
          <p className="small">{t("imports.formatPurchases")}</p>
          <p className="small">{t("imports.formatCustomers")}</p>
          <p className="small muted">{t("imports.formatNotes")}</p>
        </Card>
      </div>
      <Card title={t("imports.recent")}>
        {jobs.length === 0 ? (
          <EmptyState icon="⇪" title={t("imports.noneTitle")} body={t("imports.noneBody")} />
        ) : (
          <TableWrap label={t("imports.title")}>
            <table className="table">
              <thead>
                <tr>
                  <th>{t("imports.file")}</th>
                  <th>{t("imports.kind")}</th>
                  <th>{t("imports.status")}</th>
                  <th className="num">{t("imports.rows")}</th>
                  <th className="num">{t("imports.invalid")}</th>
                  <th>{t("imports.when")}</th>
                </tr>
              </thead>
              <tbody>
                {jobs.map((j) => (
                  <tr key={j.id}>
                    <td>
                      <Link to={`/staff/imports/${j.id}`}>{j.fileName}</Link>
                    </td>
                    <td>{t(`imports.${j.kind}`)}</td>
                    <td>
                      <ImportStatusBadge status={j.status} />
                      {(j.fileError as unknown as { reason?: string } | null)?.reason === "interrupted" ? <div className="muted small">{t("imports.interrupted")}</div> : null}
                    </td>
                    <td className="num">{f.number(j.rowsRead)}</td>
                    <td className="num">{f.number(j.rowsRead - j.rowsValid)}</td>
                    <td>{f.dateTime(j.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Card>
    </>
  );
}
