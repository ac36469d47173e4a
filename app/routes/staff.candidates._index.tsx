// The candidate lists (issue 16 item 3, DESIGN §4): ambassadors and co-creation partners, ranked by both
// axes with the reasons in words; the top 5 % by default ("one to 5 %"), 10 % or all, filtered and paged.
// Staff shortlist, dismiss with a note and restore; viewers see everything without the buttons.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { DismissForm, MarkButton } from "~/components/candidates/row-actions";
import { SegmentBadge } from "~/components/cpm/segment";
import { Alert, Badge, Button, Card, EmptyState, PageHeader, TableWrap } from "~/components/ui";
import { cpmSegments } from "~/domain/cpm";
import { candidateLists, candidateViews, exclusionReasons, quadrants, type CandidateList, type CandidateReason, type LoyaltySettings } from "~/domain/loyalty";
import { roleAllows } from "~/domain/roles";
import {
  customerIdsOf,
  ensureLoyaltyFresh,
  excludedCandidates,
  getLoyaltySettings,
  hasRespondents,
  markCandidates,
  rankCandidates,
  shortlist,
  unmarkCandidates,
  type CandidateRow,
} from "~/models/loyalty.server";
import { candidateMarkSchema, candidateTabs, filtersOf, parseCandidateQuery, type CandidateQuery } from "~/schemas/candidates";
import { requireRole } from "~/utils/auth.server";
import { describeReasons, reasonsOfRow, type Translate } from "~/utils/candidate-reasons";
import { parseForm } from "~/utils/forms.server";
import { getFixedT, getLocale } from "~/utils/locale.server";
import { useFormat } from "~/utils/use-format";

const PAGE_SIZE = 50;
/** The excluded tab shows this many, highest scores first (the counts per reason cover everyone). */
const EXCLUDED_SHOWN = 200;

/** What a row of any tab shows: the figures, the reasons as data (worded in the page), the mark. */
function view(list: CandidateList, settings: LoyaltySettings, row: CandidateRow | Omit<CandidateRow, "rank">) {
  return {
    customer_id: row.customer_id,
    external_id: row.external_id,
    name: row.name,
    rank: "rank" in row ? row.rank : null,
    rank_score: row.rank_score,
    psych_score: row.psych_score,
    reasons: reasonsOfRow(list, row, settings.candidates),
    cpm_segment: row.cpm_segment,
    quadrant: row.quadrant,
    mark: row.mark,
    mark_note: row.mark_note,
    exclusion: row.exclusion,
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const query = parseCandidateQuery(new URL(request.url).searchParams);
  await ensureLoyaltyFresh();
  const settings = await getLoyaltySettings();
  const list = query.list;
  const base = { query, canEdit: roleAllows(user.role, "staff"), minScore: settings.candidates.minScore };
  if (query.tab === "shortlist") {
    const rows = await shortlist(list, settings);
    return { ...base, respondents: rows.length > 0 || (await hasRespondents()), rows: rows.map((r) => ({ ...view(list, settings, r), marked_at: r.marked_at })), total: rows.length, size: rows.length, excluded: null };
  }
  if (query.tab === "excluded") {
    const excluded = await excludedCandidates(list, settings, { reason: query.reason, limit: EXCLUDED_SHOWN });
    return { ...base, respondents: excluded.rows.length > 0 || (await hasRespondents()), rows: excluded.rows.map((r) => ({ ...view(list, settings, r), marked_at: null })), total: excluded.rows.length, size: excluded.rows.length, excluded: { counts: excluded.counts } };
  }
  const ranked = await rankCandidates(list, settings, { view: query.view, filters: filtersOf(query), limit: PAGE_SIZE, offset: (query.page - 1) * PAGE_SIZE });
  return {
    ...base,
    respondents: ranked.total > 0 || (await hasRespondents()),
    rows: ranked.rows.map((r) => ({ ...view(list, settings, r), marked_at: null })),
    total: ranked.total,
    size: ranked.size,
    excluded: null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "staff");
  const t = (await getFixedT(await getLocale(request, user.locale))) as unknown as Translate;
  const parsed = await parseForm(request, candidateMarkSchema);
  if (!parsed.ok) {
    const [field, message] = Object.entries(parsed.fieldErrors)[0] ?? ["form", "candidates.errors.intent"];
    const known = message.startsWith("candidates.errors.");
    return data({ error: known ? t(message) : t("candidates.errors.form", { field }), field }, { status: 400 });
  }
  const form = parsed.data;
  const ids = await customerIdsOf([form.customer]);
  if (ids.length === 0) return data({ error: t("candidates.errors.customer"), field: "customer" }, { status: 400 });
  // Marks are keyed by (list, customer): posting twice leaves one mark, and taking off twice takes off one.
  if (form.intent === "shortlist") await markCandidates(form.list, ids, "shortlisted", { staffUserId: user.id });
  else if (form.intent === "dismiss") await markCandidates(form.list, ids, "dismissed", { note: form.note, staffUserId: user.id });
  else await unmarkCandidates(form.list, ids);
  return { done: form.intent === "shortlist" ? "candidates.done.shortlisted" : form.intent === "dismiss" ? "candidates.done.dismissed" : "candidates.done.unmarked" };
}

type ActionResult = { done?: string; error?: string; field?: string };

/** The page's address with some of its query changed (the page back to 1 unless given). */
function href(query: CandidateQuery, change: Partial<Record<keyof CandidateQuery, string | number | null>>) {
  const params = new URLSearchParams();
  const merged: Record<string, unknown> = { ...query, page: null, ...change };
  for (const [key, value] of Object.entries(merged)) {
    if (value === null || value === undefined || value === "") continue;
    if (key === "page" && value === 1) continue;
    params.set(key, String(value));
  }
  return `?${params}`;
}

export default function Candidates() {
  const { query, canEdit, rows, total, size, excluded, respondents, minScore } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const { t } = useTranslation();
  const f = useFormat();
  const words = (reasons: CandidateReason[]) => describeReasons(reasons, t as unknown as Translate);
  const pages = Math.max(1, Math.ceil(size / PAGE_SIZE));
  const filtered = Boolean(query.segment || query.quadrant || query.minScore !== undefined || query.store || query.channel);
  const exportQuery = new URLSearchParams(href(query, { tab: null, page: null, reason: null }).slice(1));
  const exportHref = `/staff/candidates/export.csv?${exportQuery}`;
  const listName = t(`candidates.lists.${query.list}`);

  return (
    <>
      <PageHeader
        title={t("candidates.title")}
        subtitle={t("candidates.subtitle")}
        actions={
          query.tab === "shortlist" && canEdit && total > 0 ? (
            // The hand-off: the surveys list passes the shortlist to an open survey's send form.
            <div className="row gap">
              {query.list === "ambassador" ? (
                <Link className="button button-primary" to="/staff/ambassadors/invite?from=shortlist">
                  {t("candidates.handOffProgramme")}
                </Link>
              ) : null}
              <Link className="button button-secondary" to={`/staff/surveys?${new URLSearchParams({ recipients: "shortlist", shortlist: query.list })}`}>
                {t("candidates.handOff")}
              </Link>
            </div>
          ) : query.tab === "ranked" && total > 0 ? (
            <>
              <a className="button button-secondary" href={exportHref} download>
                {t("candidates.export")}
              </a>
              <a className="button button-ghost" href={`${exportHref}&bom=1`} download>
                {t("candidates.exportExcel")}
              </a>
            </>
          ) : undefined
        }
      />
      <nav className="tabs" aria-label={t("candidates.tabsLabel")}>
        {candidateLists.map((list) => (
          <Link key={list} to={href(query, { list, reason: null })} className={`tab ${query.list === list ? "active" : ""}`} aria-current={query.list === list ? "page" : undefined}>
            {t(`candidates.lists.${list}`)}
          </Link>
        ))}
      </nav>
      <nav className="chips" aria-label={t("candidates.sectionsLabel")}>
        {candidateTabs.map((tab) => (
          <Link key={tab} to={href(query, { tab, reason: null })} className={`chip ${query.tab === tab ? "chip-active" : ""}`} aria-current={query.tab === tab ? "page" : undefined} data-testid={`tab-${tab}`}>
            {t(`candidates.tabs.${tab}`)}
          </Link>
        ))}
      </nav>
      {result?.done ? <Alert tone="success">{t(result.done)}</Alert> : null}
      {result?.error ? <Alert tone="error">{result.error}</Alert> : null}

      {query.tab === "ranked" ? (
        <Card>
          <p className="small muted">{t("candidates.oneToFive")}</p>
          <nav className="chips" aria-label={t("candidates.viewLabel")}>
            {candidateViews.map((v) => (
              <Link key={v} to={href(query, { view: v })} className={`chip ${query.view === v ? "chip-active" : ""}`} aria-current={query.view === v ? "page" : undefined}>
                {t(`candidates.views.${v}`)}
              </Link>
            ))}
          </nav>
          <Form method="get" className="filters" role="search" aria-label={t("candidates.filters.title")}>
            <input type="hidden" name="list" value={query.list} />
            <input type="hidden" name="view" value={query.view} />
            <label className="field-inline">
              {t("candidates.segment")}
              <select name="segment" defaultValue={query.segment ?? ""}>
                <option value="">{t("candidates.filters.all")}</option>
                {cpmSegments.map((s) => (
                  <option key={s} value={s}>
                    {t(`cpm.segments.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field-inline">
              {t("candidates.quadrant")}
              <select name="quadrant" defaultValue={query.quadrant ?? ""}>
                <option value="">{t("candidates.filters.all")}</option>
                {quadrants.map((q) => (
                  <option key={q} value={q}>
                    {t(`candidates.quadrants.${q}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field-inline">
              {t("candidates.filters.minScore")}
              <input type="number" name="minScore" min={0} max={100} step={1} defaultValue={query.minScore ?? ""} size={4} />
            </label>
            <label className="field-inline">
              {t("candidates.filters.store")}
              <input type="text" name="store" defaultValue={query.store ?? ""} maxLength={200} size={10} />
            </label>
            <label className="field-inline">
              {t("candidates.filters.channel")}
              <input type="text" name="channel" defaultValue={query.channel ?? ""} maxLength={200} size={10} />
            </label>
            <Button variant="secondary" busy={navigation.state === "loading"}>
              {t("candidates.filters.apply")}
            </Button>
            {filtered ? (
              <Link to={href(query, { segment: null, quadrant: null, minScore: null, store: null, channel: null })} className="button button-ghost">
                {t("candidates.filters.clear")}
              </Link>
            ) : null}
          </Form>
        </Card>
      ) : null}

      {query.tab === "excluded" && excluded ? (
        <Card>
          <p className="small muted">{t("candidates.excludedHelp", { score: f.number(minScore) })}</p>
          <nav className="chips" aria-label={t("candidates.exclusion")}>
            <Link to={href(query, { reason: null })} className={`chip ${query.reason ? "" : "chip-active"}`} aria-current={query.reason ? undefined : "page"}>
              {t("candidates.allReasons")} <span className="chip-count">{f.number(Object.values(excluded.counts).reduce((a, b) => a + (b ?? 0), 0))}</span>
            </Link>
            {exclusionReasons.map((reason) => (
              <Link key={reason} to={href(query, { reason })} className={`chip ${query.reason === reason ? "chip-active" : ""}`} aria-current={query.reason === reason ? "page" : undefined} data-testid={`reason-${reason}`}>
                {t(`candidates.exclusionReasons.${reason}`)} <span className="chip-count">{f.number(excluded.counts[reason] ?? 0)}</span>
              </Link>
            ))}
          </nav>
        </Card>
      ) : null}

      <Card>
        {!respondents ? (
          <EmptyState icon="★" title={t("candidates.empty.noRespondentsTitle")} body={t("candidates.empty.noRespondentsBody")}>
            <Link to="/staff/surveys" className="button button-primary">
              {t("candidates.empty.toSurveys")}
            </Link>
          </EmptyState>
        ) : rows.length === 0 ? (
          query.tab === "shortlist" ? (
            <EmptyState icon="☆" title={t("candidates.empty.shortlistTitle")} body={t("candidates.empty.shortlistBody")} />
          ) : query.tab === "excluded" ? (
            <EmptyState icon="○" title={t("candidates.empty.excludedTitle")} body={t("candidates.empty.excludedBody")} />
          ) : (
            <EmptyState icon="★" title={t("candidates.empty.noCandidatesTitle")} body={t("candidates.empty.noCandidatesBody", { score: f.number(minScore) })}>
              {filtered || query.view !== "all" ? <p className="muted">{t("candidates.empty.noCandidatesFiltered")}</p> : null}
            </EmptyState>
          )
        ) : (
          <>
            {query.tab === "excluded" && rows.length >= EXCLUDED_SHOWN ? <p className="small muted">{t("candidates.excludedFirst", { count: EXCLUDED_SHOWN })}</p> : null}
            {query.tab === "ranked" ? (
              <p className="small muted" data-testid="candidate-count">
                {t("candidates.count", { shown: f.number(size), total: f.number(total) })}
              </p>
            ) : null}
            <TableWrap label={`${listName}: ${t(`candidates.tabs.${query.tab}`)}`}>
              <table className="table" data-testid="candidates">
                <thead>
                  <tr>
                    {query.tab === "ranked" ? <th className="num">{t("candidates.rank")}</th> : null}
                    <th>{t("candidates.customer")}</th>
                    <th className="num">{t("candidates.rankScore")}</th>
                    <th className="col-text">{t("candidates.reasons")}</th>
                    <th>{t("candidates.segment")}</th>
                    <th>{t("candidates.quadrant")}</th>
                    {query.tab === "excluded" ? <th className="col-text">{t("candidates.exclusion")}</th> : <th>{t("candidates.mark")}</th>}
                    {canEdit ? <th>{t("candidates.actions")}</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.customer_id} data-customer={row.external_id}>
                      {query.tab === "ranked" ? <td className="num">{row.rank}</td> : null}
                      <td>
                        <Link to={`/staff/customers/${row.customer_id}`}>{row.name ?? row.external_id}</Link>
                        <div className="muted small wrap-anywhere">{row.external_id}</div>
                      </td>
                      <td className="num">{f.number(row.rank_score, 1)}</td>
                      <td className="small">{words(row.reasons)}</td>
                      <td>
                        <SegmentBadge segment={row.cpm_segment} />
                      </td>
                      <td>{row.quadrant ? t(`candidates.quadrants.${row.quadrant}`) : "—"}</td>
                      {query.tab === "excluded" ? (
                        <td>
                          {row.exclusion ? t(`candidates.exclusionReasons.${row.exclusion}`) : "—"}
                          {row.mark_note ? <div className="muted small wrap-anywhere">{row.mark_note}</div> : null}
                        </td>
                      ) : (
                        <td>
                          {row.mark === "shortlisted" ? <Badge tone="brand">{t("candidates.marks.shortlisted")}</Badge> : null}
                          {row.mark === "dismissed" ? <Badge tone="danger">{t("candidates.marks.dismissed")}</Badge> : null}
                          {!row.mark ? <span className="muted">{t("candidates.marks.none")}</span> : null}
                          {row.marked_at ? <div className="muted small">{f.date(row.marked_at)}</div> : null}
                        </td>
                      )}
                      {canEdit ? (
                        <td>
                          <div className="row gap">
                            {query.tab === "ranked" && row.mark !== "shortlisted" ? (
                              <MarkButton list={query.list} customer={row.external_id} intent="shortlist" label={t("candidates.shortlist")} busy={busy} />
                            ) : null}
                            {query.tab !== "excluded" && row.mark === "shortlisted" ? (
                              <MarkButton list={query.list} customer={row.external_id} intent="unmark" label={t("candidates.takeOff")} busy={busy} variant="ghost" />
                            ) : null}
                            {query.tab === "ranked" ? <DismissForm list={query.list} customer={row.external_id} name={row.name ?? row.external_id} busy={busy} /> : null}
                            {query.tab === "excluded" && row.exclusion === "dismissed" ? (
                              <MarkButton list={query.list} customer={row.external_id} intent="unmark" label={t("candidates.restore")} busy={busy} />
                            ) : null}
                          </div>
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
            {query.tab === "ranked" && pages > 1 ? (
              <nav className="pager" aria-label={t("candidates.pages")}>
                {query.page > 1 ? (
                  <Link to={href(query, { page: query.page - 1 })} className="button button-ghost" rel="prev">
                    {t("candidates.previous")}
                  </Link>
                ) : (
                  <span />
                )}
                <span className="muted small">{t("candidates.page", { page: f.number(query.page), pages: f.number(pages) })}</span>
                {query.page < pages ? (
                  <Link to={href(query, { page: query.page + 1 })} className="button button-secondary" rel="next">
                    {t("candidates.next")}
                  </Link>
                ) : (
                  <span />
                )}
              </nav>
            ) : null}
          </>
        )}
      </Card>
    </>
  );
}
