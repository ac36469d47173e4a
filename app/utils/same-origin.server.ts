// The one cross-site rule: a request that changes something (any method but GET, HEAD and OPTIONS) is
// answered only when it comes from the portal's own pages. app/cli/server.ts applies it to every request
// before anything else runs (the answer endpoint, Express, Remix's pages, `.data` and resource routes).
//
// A browser names the page a request comes from in `Origin` (sent on every POST, PUT, PATCH and DELETE
// by current browsers), and in `Sec-Fetch-Site`; a page on another site can set neither. The rule:
//  - `Origin` present: its host must be the host the request was sent to (`X-Forwarded-Host` when a
//    proxy sets it, else `Host`), or it must be PUBLIC_URL's origin (a proxy that rewrites Host);
//    `Origin: null` (a sandboxed frame, a redirect across sites) is refused;
//  - `Sec-Fetch-Site: cross-site` or `same-site` (another site, or another host of the same site) is
//    refused whatever `Origin` says; `same-origin` and `none` (typed in, a bookmark) pass;
//  - neither header: not a browser's cross-site request (curl, the CLI, a monitor), so it passes; the
//    session cookie is SameSite=Lax besides, so such a request carries no session a browser holds.
import type { IncomingHttpHeaders } from "node:http";

const READ_ONLY_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function first(value: string | string[] | undefined): string | undefined {
  const one = Array.isArray(value) ? value[0] : value;
  // A header a chain of proxies appended to: the first value is the client-facing one.
  return one?.split(",")[0]?.trim() || undefined;
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * Why the request must be refused as cross-site (a sentence for the 403), or null when the rule lets it
 * through. `publicUrl` is PUBLIC_URL, the portal's address as its users see it, when set.
 */
export function crossSiteRefusal(method: string | undefined, headers: IncomingHttpHeaders, publicUrl?: string): string | null {
  if (READ_ONLY_METHODS.has((method ?? "GET").toUpperCase())) return null;
  const fetchSite = first(headers["sec-fetch-site"])?.toLowerCase();
  if (fetchSite === "cross-site" || fetchSite === "same-site") {
    return `Refused: this ${method} came from another site (Sec-Fetch-Site: ${fetchSite}).`;
  }
  const origin = first(headers.origin);
  if (origin === undefined) return null;
  const ownHost = (first(headers["x-forwarded-host"]) ?? first(headers.host))?.toLowerCase();
  const claimed = originOf(origin);
  if (claimed && claimed === originOf(publicUrl)) return null;
  if (claimed && ownHost && new URL(claimed).host === ownHost) return null;
  return `Refused: this ${method} came from another site (Origin: ${origin.slice(0, 200)}).`;
}
