// Server render: streams the app with the request's language loaded into i18next.
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { createInstance } from "i18next";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { i18nOptions, isLocale } from "./i18n";
import { withoutNulBytes } from "./utils/html-stream.server";
import { logError } from "./utils/log.server";
import { NonceContext } from "./utils/nonce";
import { defaultLocale } from "./utils/locale.server";

export const streamTimeout = 5_000;

/**
 * Errors of loaders and actions. A page that does not exist, or a method a route does not take, is
 * not an error of ours: one line, no stack (a crawler's probes and a missing icon used to print a
 * stack trace each). A request the client abandoned is not logged at all; anything else is, with its
 * stack but without a failed query's parameters (logError).
 */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) {
    console.warn(`${error.status} ${request.method} ${new URL(request.url).pathname}`);
    return;
  }
  logError(`${request.method} ${new URL(request.url).pathname}`, error);
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  const rootData = remixContext.staticHandlerContext.loaderData?.root as { locale?: string } | undefined;
  const locale = isLocale(rootData?.locale) ? rootData.locale : defaultLocale;
  const i18n = createInstance();
  await i18n.use(initReactI18next).init(i18nOptions(locale));

  const callback = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";
  responseHeaders.set("X-Content-Type-Options", "nosniff");
  responseHeaders.set("Referrer-Policy", "same-origin");
  responseHeaders.set("X-Frame-Options", "SAMEORIGIN");

  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <I18nextProvider i18n={i18n}>
          <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
        </I18nextProvider>
      </NonceContext.Provider>,
      {
        [callback]: () => {
          shellRendered = true;
          const body = withoutNulBytes();
          responseHeaders.set("Content-Type", "text/html");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        nonce,
        onShellError: reject,
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logError(`render ${new URL(request.url).pathname}`, error);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}
