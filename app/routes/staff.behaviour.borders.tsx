// The three CPM borders: set by staff, suggested from the data with the reason, previewed before saving.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useZodForm } from "~/components/form";
import { SegmentBadge } from "~/components/cpm/segment";
import { BehaviourTabs } from "~/components/cpm/tabs";
import { Alert, Button, Card, PageHeader, TableWrap, TextField } from "~/components/ui";
import { suggestBorders, type Borders } from "~/domain/cpm";
import { roleAllows } from "~/domain/roles";
import { getBorderEvidence, getMetricsState, previewBorders } from "~/models/metrics.server";
import { saveBorders } from "~/services/behaviour.server";
import { bordersSchema } from "~/schemas/cpm";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/forms.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const url = new URL(request.url);
  const [state, evidence] = await Promise.all([getMetricsState(), getBorderEvidence()]);
  const proposed = url.searchParams.has("tenureBorderDays") ? bordersSchema.safeParse(Object.fromEntries(url.searchParams)) : null;
  const preview = proposed?.success ? { borders: proposed.data, ...(await previewBorders(proposed.data)) } : null;
  const current: Borders = { tenureBorderDays: state.tenureBorderDays, spendBorder: state.spendBorder, lapseBorderDays: state.lapseBorderDays };
  return { current, suggestions: suggestBorders(evidence), evidence, preview, canEdit: roleAllows(user.role, "staff") };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "staff");
  const parsed = await parseForm(request, bordersSchema);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  await saveBorders(parsed.data);
  throw redirect("/staff/behaviour/borders?saved=1");
}

const fields = ["tenureBorderDays", "spendBorder", "lapseBorderDays"] as const;

export default function BordersPage() {
  const { current, suggestions, preview, canEdit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const f = useFormat();
  const initial = preview?.borders ?? current;
  const form = useZodForm(bordersSchema, { serverErrors: actionData?.fieldErrors, defaultValues: initial });
  const show = (field: (typeof fields)[number], value: number) => (field === "spendBorder" ? f.money(value) : t("cpm.days", { count: value }));
  return (
    <>
      <PageHeader title={t("cpm.bordersTitle")} subtitle={t("cpm.bordersSubtitle")} />
      <BehaviourTabs />
      {params.get("saved") ? <Alert tone="success">{t("cpm.bordersSaved")}</Alert> : null}
      <Card title={t("cpm.suggestions")}>
        <div className="grid three">
          {fields.map((field) => {
            const s = suggestions[field];
            return (
              <div key={field} className="suggestion" data-testid={`suggest-${field}`}>
                <p className="stat-label">{t(`cpm.field.${field}`)}</p>
                <p className="muted small">{t("cpm.current", { value: show(field, current[field]) })}</p>
                {s ? (
                  <>
                    <p className="stat-value">{show(field, s.value)}</p>
                    <p className="small">{t(s.reason.key, { ...s.reason.values, median: field === "spendBorder" ? f.money(s.reason.values.median) : s.reason.values.median })}</p>
                  </>
                ) : (
                  <p className="muted small">{t("cpm.noSuggestion")}</p>
                )}
              </div>
            );
          })}
        </div>
      </Card>
      <Card title={t("cpm.setBorders")}>
        {canEdit ? null : <Alert>{t("cpm.viewerReadOnly")}</Alert>}
        <Form method="post" onSubmit={form.onSubmit} noValidate className="stack">
          <div className="grid three">
            {fields.map((field) => (
              <TextField
                key={field}
                label={t(`cpm.field.${field}`)}
                type="number"
                inputMode="numeric"
                step={field === "spendBorder" ? "any" : 1}
                disabled={!canEdit}
                {...form.register(field)}
                error={form.errorFor(field)}
                hint={suggestions[field] ? t("cpm.suggested", { value: show(field, suggestions[field]!.value) }) : undefined}
              />
            ))}
          </div>
          <div className="row gap">
            <Button type="submit" variant="secondary" formMethod="get" disabled={!canEdit} busy={navigation.state === "loading"}>
              {t("cpm.preview")}
            </Button>
            <Button type="submit" disabled={!canEdit} busy={navigation.state === "submitting"}>
              {t("cpm.saveBorders")}
            </Button>
          </div>
        </Form>
      </Card>
      {preview ? (
        <Card title={t("cpm.previewTitle", { count: preview.moved })}>
          {preview.moves.length === 0 ? (
            <p className="muted">{t("cpm.nobodyMoves")}</p>
          ) : (
            <TableWrap label={t("cpm.previewTitle", { count: preview.moved })}>
              <table className="table" data-testid="preview">
                <tbody>
                  {preview.moves.map((m) => (
                    <tr key={`${m.from}-${m.to}`}>
                      <td>
                        <SegmentBadge segment={m.from} />
                      </td>
                      <td aria-hidden>→</td>
                      <td>
                        <SegmentBadge segment={m.to} />
                      </td>
                      <td className="num">{f.number(m.customers)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </Card>
      ) : null}
    </>
  );
}
