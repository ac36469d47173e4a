// The HTTP server: Express serving the Remix build, static assets and the client's address.
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Server } from "node:http";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import express from "express";

export const BUILD_PATH = path.resolve(process.cwd(), "build/index.js");

export async function loadBuild(): Promise<ServerBuild> {
  try {
    return (await import(pathToFileURL(BUILD_PATH).href + `?t=${Date.now()}`)) as ServerBuild;
  } catch (error) {
    throw new Error(`No server build at ${BUILD_PATH}: run \`npm run build\` first. (${(error as Error).message})`);
  }
}

export async function startServer(options: { port: number; build?: ServerBuild; mode?: string }): Promise<Server> {
  const build = options.build ?? (await loadBuild());
  const app = express();
  app.disable("x-powered-by");
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  // The rate limiter keys on the client's address; a client cannot supply its own.
  app.use((req, _res, next) => {
    req.headers["x-portal-client-ip"] = req.socket.remoteAddress ?? "unknown";
    next();
  });
  app.all("*", createRequestHandler({ build, mode: options.mode ?? process.env.NODE_ENV }));
  return new Promise((resolve, reject) => {
    const server = app.listen(options.port, () => {
      if (process.env.NODE_ENV === "development") void broadcastDevReady(build);
      resolve(server);
    });
    server.on("error", reject);
  });
}
