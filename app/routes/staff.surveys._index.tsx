// Surveys: every questionnaire with its status and response counts; staff start a new one from the
// loyalty template (one click) or blank.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SurveyStatusBadge } from "~/components/survey-status";
import { Alert, Button, Card, EmptyState, PageHeader, TableWrap } from "~/components/ui";
import { parseRecipientSelection } from "~/domain/survey/recipients";
import { roleAllows } from "~/domain/roles";
import { loyaltyTemplate } from "~/domain/survey/loyalty-template";
import { createSurvey, listSurveys } from "~/models/surveys.server";
import { requireRole } from "~/utils/auth.server";
import { readForm } from "~/utils/forms.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  return { surveys: await listSurveys(), canEdit: roleAllows(user.role, "staff") };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "staff");
  const intent = (await readForm(request)).get("intent");
  const settings = { layout: "one_per_page" as const, linkDays: 30, reminderDays: 7 };
  if (intent === "template") {
    const template = loyaltyTemplate();
    const id = await createSurvey({ ...settings, title: template.title, intro: template.intro, thanks: template.thanks }, template.questions, user.id);
    throw redirect(`/staff/surveys/${id}`);
  }
  if (intent === "blank") {
    const empty = { ja: "", en: "" };
    const id = await createSurvey({ ...settings, title: { ja: "新しいアンケート", en: "New survey" }, intro: empty, thanks: empty }, [], user.id);
    throw redirect(`/staff/surveys/${id}/edit`);
  }
  throw new Response("Unknown intent", { status: 400 });
}

export default function Surveys() {
  const { surveys, canEdit } = useLoaderData<typeof loader>();
  // Sent here to pick a survey for a group (the loyalty matrix's "not yet asked", a candidate
  // shortlist): the group goes along to the survey's send form.
  const [params] = useSearchParams();
  const handOff = parseRecipientSelection({ recipients: params.get("recipients"), quadrant: params.get("quadrant"), shortlist: params.get("shortlist") });
  const handOffQuery = handOff && handOff.kind !== "all" && handOff.kind !== "list" && handOff.kind !== "segment" ? `?${params}` : "";
  const busy = useNavigation().state !== "idle";
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const title = (s: { title: { ja: string; en: string } }) => s.title[i18n.language as "ja" | "en"] || s.title.ja;
  const create = canEdit ? (
    <Form method="post" className="row gap">
      <Button type="submit" name="intent" value="template" disabled={busy}>
        {t("surveys.newFromTemplate")}
      </Button>
      <Button type="submit" name="intent" value="blank" variant="secondary" disabled={busy}>
        {t("surveys.newBlank")}
      </Button>
      <Link to="/staff/surveys/import" className="button button-secondary">
        {t("surveyFile.importLink")}
      </Link>
    </Form>
  ) : null;
  return (
    <>
      <PageHeader title={t("surveys.title")} subtitle={t("surveys.subtitle")} actions={create} />
      <p className="small">
        <Link to="/staff/surveys/reactions">{t("loyalty.reactions.title")}</Link>
      </p>
      {handOffQuery ? <Alert>{t("loyalty.handOff.pickSurvey", { group: t(`surveys.recipientKinds.${handOff!.kind}`) })}</Alert> : null}
      <Card>
        {surveys.length === 0 ? (
          <EmptyState icon="✎" title={t("surveys.emptyTitle")} body={t("surveys.emptyBody")} />
        ) : (
          <TableWrap label={t("surveys.title")}>
            <table className="table" data-testid="surveys">
              <thead>
                <tr>
                  <th className="col-text">{t("surveys.survey")}</th>
                  <th>{t("surveys.status")}</th>
                  <th className="num">{t("surveys.questions")}</th>
                  <th className="num">{t("surveys.invited")}</th>
                  <th className="num col-text">{t("surveys.answered")}</th>
                  <th>{t("surveys.created")}</th>
                </tr>
              </thead>
              <tbody>
                {surveys.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link to={`/staff/surveys/${s.id}${s.status === "open" ? handOffQuery : ""}`}>{title(s)}</Link>
                      {s.version > 1 ? <span className="muted small"> · v{s.version}</span> : null}
                    </td>
                    <td>
                      <SurveyStatusBadge status={s.status} />
                    </td>
                    <td className="num">{f.number(s.questions)}</td>
                    <td className="num">{f.number(s.invited)}</td>
                    <td className="num">
                      {f.number(s.answered)}
                      {s.answered > 0 ? (
                        <div className="small muted" data-testid="answered-split">
                          {t("surveys.answeredSplit", { invitation: f.number(s.byInvitation), open: f.number(s.byOpenLink) })}
                          {s.imported > 0 ? ` ${t("surveys.importedCount", { count: s.imported })}` : ""}
                        </div>
                      ) : null}
                    </td>
                    <td className="small">{f.date(s.createdAt)}</td>
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
