import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { MonthlyBars } from "~/components/charts/monthly-bars";
import { Card, EmptyState, PageHeader, StatCard } from "~/components/ui";
import { getDashboardSummary, getMonthlyRevenue } from "~/models/dashboard.server";
import { getMatrix } from "~/models/metrics.server";
import { getBrandSettings } from "~/models/settings.server";
import { requireRole } from "~/utils/auth.server";
import { useFormat } from "~/utils/use-format";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  const { timeZone } = await getBrandSettings();
  const [summary, monthly, matrix] = await Promise.all([getDashboardSummary(), getMonthlyRevenue(timeZone), getMatrix()]);
  return { user: { name: user.name }, summary, monthly, matrix };
}

export default function Dashboard() {
  const { user, summary, monthly, matrix } = useLoaderData<typeof loader>();
  const loyal = matrix.cells.find((c) => c.segment === "loyal_active")!;
  const loyalLapsed = matrix.cells.find((c) => c.segment === "loyal_lapsed")!;
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <PageHeader title={t("dashboard.title")} subtitle={t("dashboard.welcome", { name: user.name })} />
      {summary.customers === 0 ? (
        <div className="card">
          <EmptyState icon="◉" title={t("dashboard.emptyTitle")} body={t("dashboard.emptyBody")} />
        </div>
      ) : (
        <>
          <div className="grid stats">
            <StatCard label={t("dashboard.customers")} value={f.number(summary.customers)} />
            <StatCard label={t("dashboard.purchases")} value={f.number(summary.purchases)} />
            <StatCard label={t("dashboard.revenue")} value={f.money(summary.revenue)} />
            <StatCard
              label={t("dashboard.lastPurchase")}
              value={summary.lastPurchaseAt ? f.date(summary.lastPurchaseAt) : t("dashboard.none")}
            />
          </div>
          <div className="grid stats">
            <StatCard
              label={t("cpm.activeLoyalShare")}
              value={f.percent(matrix.activeLoyalShare)}
              hint={<Link to="/staff/behaviour">{t("cpm.target", { target: f.percent(0.2) })} · {t("cpm.tabs.matrix")} →</Link>}
            />
            <StatCard
              label={t("cpm.segments.loyal_active")}
              value={f.number(loyal.customers)}
              hint={<Link to="/staff/customers?segment=loyal_active">{f.money(loyal.totalAmount)}</Link>}
            />
            <StatCard
              label={t("cpm.segments.loyal_lapsed")}
              value={f.number(loyalLapsed.customers)}
              hint={<Link to="/staff/customers?segment=loyal_lapsed">{t("dashboard.followUp")}</Link>}
            />
          </div>
          <Card title={t("dashboard.monthly")}>
            <MonthlyBars
              data={monthly.map((m) => ({ month: m.month, value: m.revenue }))}
              valueLabel={t("dashboard.revenue")}
              formatValue={f.compactMoney}
            />
          </Card>
        </>
      )}
    </>
  );
}
