// A route's page as the visitor reads it, without a build: its loader (and its action, for a POST) run
// on a real Request, and the page renders to HTML inside i18next set to the language the root layout
// would pick for that request (the locale cookie, then Accept-Language), as entry.server does.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createInstance } from "i18next";
import type { ComponentType } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import type { ActionFunction, LoaderFunction } from "react-router-dom";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { i18nOptions } from "~/i18n";
import { getLocale } from "~/utils/locale.server";

export interface RouteModule {
  loader?: (args: LoaderFunctionArgs) => unknown;
  action?: (args: ActionFunctionArgs) => unknown;
  default: ComponentType;
}

/** Renders `path` (a pattern such as `/u/:token`) for `request`: the status, the HTML and its text with tags and spacing collapsed. */
export async function renderPage(route: RouteModule, path: string, request: Request) {
  const handler = createStaticHandler([
    {
      id: "page",
      path,
      loader: route.loader ? (args) => route.loader!({ ...args, context: {} }) as ReturnType<LoaderFunction> : undefined,
      action: route.action ? (args) => route.action!({ ...args, context: {} }) as ReturnType<ActionFunction> : undefined,
      Component: route.default,
    },
  ]);
  const context = await handler.query(request);
  if (context instanceof Response) throw new Error(`${request.method} ${request.url} answered ${context.status} ${context.headers.get("Location") ?? ""}`);
  const i18n = createInstance();
  await i18n.use(initReactI18next).init(i18nOptions(await getLocale(request)));
  const html = renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <StaticRouterProvider router={createStaticRouter(handler.dataRoutes, context)} context={context} hydrate={false} />
    </I18nextProvider>,
  );
  return { status: context.statusCode, html, text: visibleText(html) };
}

function visibleText(html: string) {
  const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'", "#39": "'", nbsp: " " };
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&(#x27|#39|[a-z]+);/g, (entity, name: string) => entities[name] ?? entity)
    .replace(/\s+/g, " ")
    .trim();
}
