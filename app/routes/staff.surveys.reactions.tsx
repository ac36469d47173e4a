// Reaction rates (issue 16 item 5): of the customers invited, the share who answered, by the CPM segment
// and the loyalty quadrant they had when invited, for one survey or over all of them, beside the book's
// reaction rates (loyal 20 %, steady 10 %, toddler 5 %, first-time 1 %).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SegmentBadge } from "~/components/cpm/segment";
import { Button, Card, EmptyState, PageHeader, TableWrap } from "~/components/ui";
import { cpmSegments, type CpmSegment } from "~/domain/cpm";
import { quadrants } from "~/domain/loyalty";
import { bookReactionRate } from "~/domain/reactions";
import { reactionRates } from "~/models/invitations.server";
import { listSurveys } from "~/models/surveys.server";
import { requireRole } from "~/utils/auth.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  const surveyParam = Number(new URL(request.url).searchParams.get("survey"));
  const [rows, surveys] = await Promise.all([reactionRates(), listSurveys()]);
  const survey = surveys.find((s) => s.id === surveyParam) ?? null;
  const chosen = survey ? rows.filter((r) => r.surveyId === survey.id) : rows;
  const sum = <K extends string>(key: (r: (typeof rows)[number]) => K) => {
    const out = new Map<K, { invited: number; answered: number }>();
    for (const r of chosen) {
      const k = key(r);
      const t = out.get(k) ?? { invited: 0, answered: 0 };
      t.invited += r.invited;
      t.answered += r.answered;
      out.set(k, t);
    }
    return Object.fromEntries(out);
  };
  return {
    surveys: surveys.filter((s) => rows.some((r) => r.surveyId === s.id)).map((s) => ({ id: s.id, title: s.title })),
    survey: survey?.id ?? null,
    bySegment: sum((r) => r.segment ?? "none"),
    byQuadrant: sum((r) => r.quadrant ?? "unscored"),
    total: sum(() => "all").all ?? { invited: 0, answered: 0 },
  };
}

export default function Reactions() {
  const { surveys, survey, bySegment, byQuadrant, total } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const rate = (c?: { invited: number; answered: number }) => (c && c.invited > 0 ? f.percent(c.answered / c.invited) : "—");
  const lang = i18n.language === "en" ? "en" : "ja";
  const segmentRows: (CpmSegment | "none")[] = [...cpmSegments, "none"];
  return (
    <>
      <PageHeader title={t("loyalty.reactions.title")} subtitle={t("loyalty.reactions.subtitle")} />
      <Card>
        <Form method="get" className="filters">
          <label className="field-inline grow">
            {t("loyalty.reactions.survey")}
            <select name="survey" defaultValue={survey ?? ""}>
              <option value="">{t("loyalty.reactions.allSurveys")}</option>
              {surveys.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title[lang] || s.title.ja}
                </option>
              ))}
            </select>
          </label>
          <Button variant="secondary">{t("customers.apply")}</Button>
        </Form>
      </Card>
      {total.invited === 0 ? (
        <Card>
          <EmptyState icon="✉" title={t("loyalty.reactions.emptyTitle")} body={t("loyalty.reactions.emptyBody")} />
        </Card>
      ) : (
        <>
          <p className="small muted" data-testid="reaction-total">
            {t("loyalty.reactions.total", { invited: f.number(total.invited), answered: f.number(total.answered), rate: rate(total) })}
          </p>
          <Card title={t("loyalty.reactions.bySegment")}>
            <TableWrap label={t("loyalty.reactions.bySegment")}>
              <table className="table" data-testid="reactions-by-segment">
                <thead>
                  <tr>
                    <th>{t("customers.segment")}</th>
                    <th className="num">{t("loyalty.reactions.invited")}</th>
                    <th className="num">{t("loyalty.reactions.answered")}</th>
                    <th className="num">{t("loyalty.reactions.rate")}</th>
                    <th className="num">{t("loyalty.reactions.book")}</th>
                  </tr>
                </thead>
                <tbody>
                  {segmentRows.map((s) => {
                    const c = bySegment[s];
                    const book = s === "none" ? null : bookReactionRate(s);
                    return (
                      <tr key={s}>
                        <td>{s === "none" ? <span className="muted">{t("loyalty.reactions.noSegment")}</span> : <SegmentBadge segment={s} />}</td>
                        <td className="num">{f.number(c?.invited ?? 0)}</td>
                        <td className="num">{f.number(c?.answered ?? 0)}</td>
                        <td className="num">{rate(c)}</td>
                        <td className="num muted">{book === null ? "—" : f.percent(book)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableWrap>
            <p className="small muted">{t("loyalty.reactions.bookNote")}</p>
          </Card>
          <Card title={t("loyalty.reactions.byQuadrant")}>
            <TableWrap label={t("loyalty.reactions.byQuadrant")}>
              <table className="table" data-testid="reactions-by-quadrant">
                <thead>
                  <tr>
                    <th>{t("loyalty.reactions.quadrant")}</th>
                    <th className="num">{t("loyalty.reactions.invited")}</th>
                    <th className="num">{t("loyalty.reactions.answered")}</th>
                    <th className="num">{t("loyalty.reactions.rate")}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...quadrants, "unscored" as const].map((q) => (
                    <tr key={q}>
                      <td>{q === "unscored" ? <span className="muted">{t("loyalty.reactions.noQuadrant")}</span> : t(`loyalty.quadrants.${q}`)}</td>
                      <td className="num">{f.number(byQuadrant[q]?.invited ?? 0)}</td>
                      <td className="num">{f.number(byQuadrant[q]?.answered ?? 0)}</td>
                      <td className="num">{rate(byQuadrant[q])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </Card>
        </>
      )}
    </>
  );
}
