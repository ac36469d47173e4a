// The HTTP server: Express serving the Remix build, static assets and the client's address; the
// survey answer endpoint (the busiest write) is answered by node:http before Express and Remix. Ahead of
// both, every request passes the rules that hold for all routes: the cross-site rule
// (app/utils/same-origin.server.ts) and no NUL character in the address.
import path from "node:path";
import { pathToFileURL } from "node:url";
import http, { type Server } from "node:http";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import express from "express";
import { answerRoute, handleAnswerRequest } from "../services/answer-endpoint.server";
import { getEnv } from "../utils/env.server";
import { crossSiteRefusal } from "../utils/same-origin.server";
import { securityHeaders } from "../utils/security-headers.server";

export const BUILD_PATH = path.resolve(process.cwd(), "build/index.js");

export async function loadBuild(): Promise<ServerBuild> {
  try {
    return (await import(pathToFileURL(BUILD_PATH).href + `?t=${Date.now()}`)) as ServerBuild;
  } catch (error) {
    throw new Error(`No server build at ${BUILD_PATH}: run \`npm run build\` first. (${(error as Error).message})`);
  }
}

/**
 * What answers every request, as `startServer` serves it (tests send requests through the same one).
 * The rules for all routes come first, before any route's code reads the body or the database.
 */
export function createPortalListener(build: ServerBuild, mode?: string): http.RequestListener {
  const app = express();
  app.disable("x-powered-by");
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  // The rate limiter keys on the client's address; a client cannot supply its own.
  app.use((req, _res, next) => {
    req.headers["x-portal-client-ip"] = req.socket.remoteAddress ?? "unknown";
    next();
  });
  // Every response gets the portal's security headers; pages put the nonce on Remix's inline scripts.
  app.use((_req, res, next) => {
    const { nonce, headers } = securityHeaders(mode);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.locals.cspNonce = nonce;
    next();
  });
  app.all("*", createRequestHandler({ build, mode, getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }) }));
  return (req, res) => {
    const refusal = crossSiteRefusal(req.method, req.headers, getEnv().PUBLIC_URL);
    if (refusal) return refuse(res, 403, refusal);
    // PostgreSQL cannot hold U+0000 in text: a query or path naming one is refused here, once, instead
    // of failing in whichever statement it reaches.
    if (req.url && /%00/i.test(req.url)) return refuse(res, 400, "The address contains a NUL character (%00).");
    const answers = answerRoute(req.url);
    if (answers) void handleAnswerRequest(req, res, answers);
    else app(req, res);
  };
}

/** A refusal before any route runs: plain text, and the unread body is not waited for. */
function refuse(res: http.ServerResponse, status: number, message: string) {
  res.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(message),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    Connection: "close",
  });
  res.end(message);
}

export async function startServer(options: { port: number; build?: ServerBuild; mode?: string }): Promise<Server> {
  const build = options.build ?? (await loadBuild());
  const server = http.createServer(createPortalListener(build, options.mode ?? process.env.NODE_ENV));
  return new Promise((resolve, reject) => {
    server.listen(options.port, () => {
      if (process.env.NODE_ENV === "development") void broadcastDevReady(build);
      resolve(server);
    });
    server.on("error", reject);
  });
}
