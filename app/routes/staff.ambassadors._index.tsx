// The ambassador programme for staff (issue 17): the funnel from today's candidates to active members
// with the conversion at each step, the same by CPM segment and quadrant at invitation, and the member
// list (status, points, last activity, certificate state), each row leading to the member's page.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SegmentBadge } from "~/components/cpm/segment";
import { Alert, Badge, Card, EmptyState, PageHeader, TableWrap } from "~/components/ui";
import { cpmSegments, type CpmSegment } from "~/domain/cpm";
import { certificateStatus } from "~/domain/programme";
import { roleAllows } from "~/domain/roles";
import { listMembers } from "~/models/programme.server";
import { programmeOverview } from "~/services/programme.server";
import { requireRole } from "~/utils/auth.server";
import { useFormat } from "~/utils/use-format";

const statuses = ["active", "paused", "alumni"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const status = new URL(request.url).searchParams.get("status");
  const filter = statuses.find((s) => s === status);
  const [overview, members] = await Promise.all([programmeOverview(), listMembers({ status: filter })]);
  const now = new Date();
  return {
    canInvite: roleAllows(user.role, "staff"),
    overview,
    members: members.map((m) => ({
      ...m,
      joinedAt: m.joinedAt.toISOString(),
      lastActivityAt: m.lastActivityAt?.toISOString() ?? null,
      certificateStatus: m.certificateCode
        ? certificateStatus(
            {
              issuedAt: new Date(m.certificateIssuedAt!),
              expiresAt: m.certificateExpiresAt ? new Date(m.certificateExpiresAt) : null,
              revokedAt: m.certificateRevokedAt ? new Date(m.certificateRevokedAt) : null,
            },
            now,
          )
        : null,
    })),
  };
}

const statusTone = { active: "success", paused: "warning", alumni: "neutral" } as const;
const certTone = { valid: "success", expired: "warning", revoked: "danger" } as const;

export default function Ambassadors() {
  const { canInvite, overview, members } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  const [params] = useSearchParams();
  const current = params.get("status");
  const rate = (r: number | null) => (r === null ? "—" : f.percent(r));
  return (
    <>
      <PageHeader
        title={t("ambassadors.title")}
        subtitle={t("ambassadors.subtitle")}
        actions={
          <div className="row gap">
            <a className="button button-secondary" href="/staff/ambassadors/export.csv" download>
              {t("ambassadors.export")}
            </a>
            {canInvite ? (
              <Link className="button button-primary" to="/staff/ambassadors/invite">
                {t("ambassadors.invite")}
              </Link>
            ) : null}
          </div>
        }
      />
      {params.get("invited") !== null ? <Alert tone="success">{t("ambassadors.invited", { count: Number(params.get("invited")) || 0 })}</Alert> : null}
      <section className="funnel" aria-label={t("ambassadors.funnel")}>
        {overview.steps.map((step) => (
          <div key={step.key} className="funnel-step card">
            <span className="muted small">{t(`ambassadors.steps.${step.key}`)}</span>
            <strong className="funnel-n">{f.number(step.n)}</strong>
            {step.conversion !== null ? <span className="small">{t("ambassadors.conversion", { rate: rate(step.conversion) })}</span> : <span className="small muted">&nbsp;</span>}
            {step.key === "candidates" ? (
              <Link className="small" to="/staff/candidates?list=ambassador">
                {t("ambassadors.toCandidates")}
              </Link>
            ) : null}
          </div>
        ))}
      </section>
      <p className="muted small">
        {t("ambassadors.pending", { open: f.number(overview.pending.open), declined: f.number(overview.pending.declined), expired: f.number(overview.pending.expired) })}
      </p>
      <div className="grid two">
        {(["bySegment", "byQuadrant"] as const).map((by) => (
          <Card key={by} title={t(`ambassadors.${by}`)}>
            {overview[by].length === 0 ? (
              <EmptyState title={t("ambassadors.noInvitations")} />
            ) : (
              <TableWrap label={t(`ambassadors.${by}`)}>
                <table className="table">
                  <thead>
                    <tr>
                      <th>{t(by === "bySegment" ? "ambassadors.segment" : "ambassadors.quadrant")}</th>
                      <th className="num">{t("ambassadors.steps.invited")}</th>
                      <th className="num">{t("ambassadors.steps.accepted")}</th>
                      <th className="num">{t("ambassadors.acceptance")}</th>
                      <th className="num">{t("ambassadors.steps.active")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {overview[by].map((g) => (
                      <tr key={g.key}>
                        <td>
                          {by === "bySegment" && cpmSegments.includes(g.key as CpmSegment) ? (
                            <SegmentBadge segment={g.key as CpmSegment} />
                          ) : g.key === "none" ? (
                            t("ambassadors.none")
                          ) : (
                            t(`candidates.quadrants.${g.key}`)
                          )}
                        </td>
                        <td className="num">{f.number(g.invited)}</td>
                        <td className="num">{f.number(g.accepted)}</td>
                        <td className="num">{rate(g.rate)}</td>
                        <td className="num">{f.number(g.active)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </Card>
        ))}
      </div>
      <Card title={t("ambassadors.members")}>
        <nav className="tabs" aria-label={t("ambassadors.statusFilter")}>
          <Link to="?" className={`tab ${current ? "" : "active"}`} aria-current={current ? undefined : "page"}>
            {t("ambassadors.all")}
          </Link>
          {statuses.map((s) => (
            <Link key={s} to={`?status=${s}`} className={`tab ${current === s ? "active" : ""}`} aria-current={current === s ? "page" : undefined}>
              {t(`ambassadors.statuses.${s}`)} {overview.members[s] ? `(${f.number(overview.members[s]!)})` : ""}
            </Link>
          ))}
        </nav>
        {members.length === 0 ? (
          <EmptyState title={t("ambassadors.noMembers")} body={t("ambassadors.noMembersBody")} />
        ) : (
          <TableWrap label={t("ambassadors.members")}>
            <table className="table">
              <thead>
                <tr>
                  <th>{t("ambassadors.member")}</th>
                  <th>{t("ambassadors.status")}</th>
                  <th className="num">{t("ambassadors.points")}</th>
                  <th>{t("ambassadors.lastActivity")}</th>
                  <th>{t("ambassadors.certificate")}</th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <Link to={`/staff/ambassadors/${m.id}`}>{m.displayName}</Link>
                      <div className="muted small">
                        {m.name ?? "—"} · {m.externalId}
                      </div>
                    </td>
                    <td>
                      <Badge tone={statusTone[m.status]}>{t(`ambassadors.statuses.${m.status}`)}</Badge>
                    </td>
                    <td className="num">{f.number(m.points)}</td>
                    <td>{m.lastActivityAt ? f.date(m.lastActivityAt) : "—"}</td>
                    <td>{m.certificateStatus ? <Badge tone={certTone[m.certificateStatus]}>{t(`verify.status.${m.certificateStatus}`)}</Badge> : "—"}</td>
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
