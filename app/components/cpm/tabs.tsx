// Tabs across the behaviour pages, with the date their metrics are as of (today, or fixed in Settings).
import { Link, NavLink } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useMetricsAsOf } from "~/routes/staff.behaviour";
import { useFormat } from "~/utils/use-format";

const tabs = [
  { to: "/staff/behaviour", key: "matrix", end: true },
  { to: "/staff/behaviour/cohorts", key: "cohorts" },
  { to: "/staff/behaviour/movement", key: "movement" },
  { to: "/staff/behaviour/borders", key: "borders" },
  { to: "/staff/behaviour/potential", key: "potential" },
] as const;

export function BehaviourTabs() {
  const { t } = useTranslation();
  const f = useFormat();
  const metrics = useMetricsAsOf();
  return (
    <>
      <nav className="tabs" aria-label={t("nav.behaviour")}>
        {tabs.map((tab) => (
          <NavLink key={tab.to} to={tab.to} end={"end" in tab} prefetch="intent" className="tab">
            {t(`cpm.tabs.${tab.key}`)}
          </NavLink>
        ))}
      </nav>
      <p className="small muted as-of" data-testid="metrics-as-of">
        {!metrics?.asOf ? (
          t("cpm.neverRefreshed")
        ) : metrics.fixed ? (
          <>
            {t("cpm.asOfFixed", { date: f.date(metrics.asOf) })} <Link to="/staff/settings">{t("cpm.fixedInSettings")}</Link>
          </>
        ) : (
          t("cpm.asOfToday", { date: f.date(metrics.asOf) })
        )}
      </p>
    </>
  );
}
