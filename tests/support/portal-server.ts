// The portal's real request path inside a test process: the listener app/cli/server.ts serves (the rules
// for all routes, the answer endpoint, Express, Remix) over a Remix build assembled from the route
// modules themselves, so they share the test's database. Routes are laid out by Remix's own flat-routes
// function with remix.config.js's ignore patterns, as the compiler does; only the browser assets are
// stand-ins (no page here loads scripts).
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { afterEach, beforeEach } from "vitest";
import { flatRoutes } from "@remix-run/dev/dist/config/flat-routes.js";
import remixConfig from "../../remix.config.js";
import * as entryServer from "~/entry.server";
import * as rootModule from "~/root";
import { createPortalListener } from "~/cli/server";

type RouteModule = ServerBuild["routes"][string]["module"];
const routeModules = import.meta.glob<RouteModule>("../../app/routes/*.tsx", { eager: true });

/** Every route module under app/routes, as the compiler sees it: id, parent, URL pattern and module. */
export function routeManifest() {
  const appDirectory = path.resolve(__dirname, "../../app");
  const manifest = flatRoutes(appDirectory, remixConfig.ignoredRouteFiles);
  const fullPath = (id: string | undefined): string => {
    const route = id ? manifest[id] : undefined;
    if (!route) return "";
    const parent = fullPath(route.parentId);
    return route.path ? `${parent}/${route.path}` : parent;
  };
  return Object.values(manifest).map((route) => {
    const module = routeModules[`../../app/${route.file}`];
    if (!module) throw new Error(`no module for ${route.file}`);
    // The URL pattern from the root, e.g. /staff/surveys/:id/results
    const pattern = fullPath(route.id) || "/";
    return { id: route.id, parentId: route.parentId, path: route.path, index: route.index, file: route.file, pattern, module };
  });
}

export function testServerBuild(): ServerBuild {
  const routes: ServerBuild["routes"] = {
    root: { id: "root", path: "", module: rootModule as unknown as RouteModule },
  };
  const assetRoutes: ServerBuild["assets"]["routes"] = {};
  for (const route of [{ id: "root", path: "", module: rootModule as unknown as RouteModule }, ...routeManifest()]) {
    const { id, path: routePath, module } = route;
    const parentId = "parentId" in route ? route.parentId : undefined;
    const index = "index" in route ? route.index : undefined;
    routes[id] = { id, parentId, path: routePath, index, caseSensitive: undefined, module };
    assetRoutes[id] = {
      id,
      parentId,
      path: routePath,
      index,
      caseSensitive: undefined,
      module: `/build/${id}.js`,
      hasAction: typeof module.action === "function",
      hasLoader: typeof module.loader === "function",
      hasClientAction: false,
      hasClientLoader: false,
      hasErrorBoundary: typeof module.ErrorBoundary === "function",
    };
  }
  return {
    mode: "production",
    entry: { module: entryServer as unknown as ServerBuild["entry"]["module"] },
    routes,
    assets: { entry: { module: "/build/entry.client.js", imports: [] }, routes: assetRoutes, url: "/build/manifest.js", version: "test" },
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_singleFetch: true, v3_lazyRouteDiscovery: true } as ServerBuild["future"],
    isSpaMode: false,
  };
}

export interface TestPortal {
  url: string;
  host: string;
  close(): Promise<void>;
}

/** The portal on a free port of 127.0.0.1, answering with the test's database. */
export async function startTestPortal(): Promise<TestPortal> {
  const server = http.createServer(createPortalListener(testServerBuild(), "production"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Registers hooks that give each test its own portal; call after useTestDatabase(), whose database it serves. */
export function useTestPortal(): { readonly current: TestPortal } {
  const state: { current?: TestPortal } = {};
  beforeEach(async () => {
    state.current = await startTestPortal();
  });
  afterEach(async () => {
    await state.current?.close();
    state.current = undefined;
  });
  return {
    get current() {
      if (!state.current) throw new Error("no test portal outside a test");
      return state.current;
    },
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request exactly as given (no header a fetch client would add or refuse), read to the end; rejects
 * when the server drops the connection before the response is complete.
 */
export function send(base: string, method: string, target: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, method, path: target, headers: { Connection: "close", ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          if (!response.complete) reject(new Error(`${method} ${target}: connection dropped mid-response (status ${response.statusCode})`));
          else resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") });
        });
        response.on("error", (error) => reject(new Error(`${method} ${target}: ${error.message}`)));
      },
    );
    request.on("error", (error) => reject(new Error(`${method} ${target}: ${error.message}`)));
    request.end(body);
  });
}
