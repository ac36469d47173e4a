// Segment movement between two dates: who moved from which segment to which.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { SegmentBadge } from "~/components/cpm/segment";
import { BehaviourTabs } from "~/components/cpm/tabs";
import { Alert, Button, Card, EmptyState, PageHeader, TableWrap } from "~/components/ui";
import { cpmSegments, type CpmSegment } from "~/domain/cpm";
import { movementDates } from "~/domain/movement";
import { getMetricsState, getMovement, getMovers } from "~/models/metrics.server";
import { requireRole } from "~/utils/auth.server";
import { useFormat } from "~/utils/use-format";

const segmentParam = z.union([z.enum(cpmSegments), z.literal("none")]).optional();

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "viewer");
  const url = new URL(request.url);
  const state = await getMetricsState();
  const { from, to, error } = movementDates({ from: url.searchParams.get("from"), to: url.searchParams.get("to") }, state);
  if (error) return { from, to, error, moves: [], movers: null, pair: null };
  const a = segmentParam.safeParse(url.searchParams.get("a") ?? undefined).data;
  const b = segmentParam.safeParse(url.searchParams.get("b") ?? undefined).data;
  const asSegment = (s: string | undefined) => (s === "none" || s === undefined ? null : (s as CpmSegment));
  const [moves, movers] = await Promise.all([
    getMovement(from, to),
    a && b ? getMovers(from, to, asSegment(a), asSegment(b)) : Promise.resolve(null),
  ]);
  return { from, to, error: null, moves, movers, pair: a && b ? { a: asSegment(a), b: asSegment(b) } : null };
}

export default function Movement() {
  const { from, to, error, moves, movers, pair } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  const navigation = useNavigation();
  const moved = moves.filter((m) => m.from !== m.to);
  const stayed = moves.filter((m) => m.from === m.to).reduce((n, m) => n + m.customers, 0);
  const link = (a: CpmSegment | null, b: CpmSegment | null) => `?from=${from}&to=${to}&a=${a ?? "none"}&b=${b ?? "none"}`;
  return (
    <>
      <PageHeader title={t("cpm.movementTitle")} subtitle={t("cpm.movementSubtitle")} />
      <BehaviourTabs />
      <Card>
        <Form method="get" className="inline-form wrap">
          <label className="field-inline">
            {t("cpm.from")} <input type="date" name="from" defaultValue={from} required />
          </label>
          <label className="field-inline">
            {t("cpm.to")} <input type="date" name="to" defaultValue={to} required />
          </label>
          <Button variant="secondary" busy={navigation.state === "loading"}>
            {t("cpm.compare")}
          </Button>
        </Form>
      </Card>
      {error ? <Alert tone="error">{t(error)}</Alert> : null}
      {!error && moves.length === 0 ? (
        <Card>
          <EmptyState icon="▤" title={t("cpm.emptyTitle")} body={t("cpm.emptyBody")} />
        </Card>
      ) : null}
      {moved.length > 0 ? (
        <Card title={t("cpm.moved", { count: moved.reduce((n, m) => n + m.customers, 0), stayed: f.number(stayed) })}>
          <TableWrap label={t("cpm.movementTitle")}>
            <table className="table" data-testid="movement">
              <thead>
                <tr>
                  <th>{t("cpm.fromSegment", { date: f.date(from) })}</th>
                  <th aria-hidden />
                  <th>{t("cpm.toSegment", { date: f.date(to) })}</th>
                  <th className="num">{t("cpm.customers")}</th>
                </tr>
              </thead>
              <tbody>
                {moved.map((m) => (
                  <tr key={`${m.from}-${m.to}`}>
                    <td>{m.from ? <SegmentBadge segment={m.from} /> : <span className="muted">{t("cpm.notYet")}</span>}</td>
                    <td aria-hidden>→</td>
                    <td>{m.to ? <SegmentBadge segment={m.to} /> : <span className="muted">{t("cpm.notYet")}</span>}</td>
                    <td className="num">
                      <Link to={link(m.from, m.to)}>{f.number(m.customers)}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </Card>
      ) : null}
      {movers && pair ? (
        <Card title={<>{pair.a ? <SegmentBadge segment={pair.a} /> : t("cpm.notYet")} → {pair.b ? <SegmentBadge segment={pair.b} /> : t("cpm.notYet")}</>}>
          <ul className="plain-list">
            {movers.map((c) => (
              <li key={c.id}>
                <Link to={`/staff/customers/${c.id}`}>{c.name ?? c.external_id}</Link> <span className="muted">{c.external_id}</span>
              </li>
            ))}
          </ul>
          {movers.length === 100 ? <p className="muted small">{t("cpm.first100")}</p> : null}
        </Card>
      ) : null}
    </>
  );
}
