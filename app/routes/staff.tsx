// Staff layout: every page under /staff is for signed-in staff; each child checks its own role too.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { LanguageSwitcher } from "~/components/language-switcher";
import { useRootData } from "~/root";
import { requireRole } from "~/utils/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "viewer");
  return { user };
}

export function useStaffUser() {
  const data = useRouteLoaderData<typeof loader>("routes/staff");
  if (!data) throw new Error("useStaffUser must be used under /staff");
  return data.user;
}

const nav = [
  { to: "/staff", key: "dashboard", icon: "▦", end: true },
  { to: "/staff/behaviour", key: "behaviour", icon: "▤" },
  { to: "/staff/loyalty", key: "loyalty", icon: "◈" },
  { to: "/staff/customers", key: "customers", icon: "◉" },
  { to: "/staff/imports", key: "imports", icon: "⇪" },
  { to: "/staff/surveys", key: "surveys", icon: "✎" },
  { to: "/staff/candidates", key: "candidates", icon: "★" },
  { to: "/staff/ambassadors", key: "ambassadors", icon: "♛" },
  { to: "/staff/events", key: "events", icon: "◷" },
  { to: "/staff/mailbox", key: "mailbox", icon: "✉" },
  { to: "/staff/settings", key: "settings", icon: "⚙" },
] as const;

export default function StaffLayout() {
  const { user } = useLoaderData<typeof loader>();
  return (
    <StaffShell user={user}>
      <Outlet />
    </StaffShell>
  );
}

type StaffUser = Awaited<ReturnType<typeof loader>>["user"];

/** The signed-in frame: top bar, navigation and the page. Error pages under /staff keep it too. */
function StaffShell({ user, children }: { user: StaffUser; children: React.ReactNode }) {
  const root = useRootData();
  const { t } = useTranslation();
  const navigation = useNavigation();
  const [menuOpen, setMenuOpen] = useState(false);
  const items = user.role === "admin" ? [...nav, { to: "/staff/admin", key: "admin", icon: "⚿" } as const] : nav;
  return (
    <div className={`shell ${menuOpen ? "menu-open" : ""}`}>
      <header className="topbar">
        <button className="button button-ghost menu-toggle" aria-expanded={menuOpen} aria-controls="sidebar" onClick={() => setMenuOpen((o) => !o)}>
          ☰ <span className="sr-only">{t("nav.menu")}</span>
        </button>
        <a href="/staff" className="brand">
          <span className="logo" aria-hidden>
            ◆
          </span>
          {root?.brand.brandName ?? t("app.name")}
        </a>
        <div className="topbar-right">
          <LanguageSwitcher />
          <span className="user-chip" data-testid="user-chip">
            <span className="avatar" aria-hidden>
              {user.name.slice(0, 1).toUpperCase()}
            </span>
            <span className="user-name">{user.name}</span>
            <span className="badge badge-brand">{t(`roles.${user.role}`)}</span>
          </span>
          <Form method="post" action="/logout">
            <button type="submit" className="button button-secondary">
              {t("nav.signOut")}
            </button>
          </Form>
        </div>
      </header>
      <nav id="sidebar" className="sidebar" aria-label="Main">
        <ul>
          {items.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={"end" in item ? item.end : false} prefetch="intent" onClick={() => setMenuOpen(false)}>
                <span className="nav-icon" aria-hidden>
                  {item.icon}
                </span>
                {t(`nav.${item.key}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content" aria-busy={navigation.state === "loading"}>
        {navigation.state === "loading" ? <div className="progress-bar" role="progressbar" aria-label={t("common.loading")} /> : null}
        {children}
      </main>
    </div>
  );
}

/**
 * A page under /staff that fails (or does not exist: see staff.$.tsx) keeps the navigation and the
 * user's language when the user is known; only a failure of this layout's own loader shows a bare page.
 */
export function ErrorBoundary() {
  const data = useRouteLoaderData<typeof loader>("routes/staff");
  if (!data) {
    return (
      <main className="page-center">
        <GeneralErrorBoundary />
      </main>
    );
  }
  return (
    <StaffShell user={data.user}>
      <div className="page-center">
        <GeneralErrorBoundary />
      </div>
    </StaffShell>
  );
}
