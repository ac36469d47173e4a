// Tabs across the behaviour pages.
import { NavLink } from "@remix-run/react";
import { useTranslation } from "react-i18next";

const tabs = [
  { to: "/staff/behaviour", key: "matrix", end: true },
  { to: "/staff/behaviour/cohorts", key: "cohorts" },
  { to: "/staff/behaviour/movement", key: "movement" },
  { to: "/staff/behaviour/borders", key: "borders" },
] as const;

export function BehaviourTabs() {
  const { t } = useTranslation();
  return (
    <nav className="tabs" aria-label={t("nav.behaviour")}>
      {tabs.map((tab) => (
        <NavLink key={tab.to} to={tab.to} end={"end" in tab} prefetch="intent" className="tab">
          {t(`cpm.tabs.${tab.key}`)}
        </NavLink>
      ))}
    </nav>
  );
}
