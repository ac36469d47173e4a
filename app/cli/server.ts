// The HTTP server: Express serving the Remix build, static assets and the client's address; the
// survey answer endpoint (the busiest write) is answered by node:http before Express and Remix.
import path from "node:path";
import { pathToFileURL } from "node:url";
import http, { type Server } from "node:http";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import express from "express";
import { answerRoute, handleAnswerRequest } from "../services/answer-endpoint.server";

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
  const server = http.createServer((req, res) => {
    const answers = answerRoute(req.url);
    if (answers) void handleAnswerRequest(req, res, answers);
    else app(req, res);
  });
  return new Promise((resolve, reject) => {
    server.listen(options.port, () => {
      if (process.env.NODE_ENV === "development") void broadcastDevReady(build);
      resolve(server);
    });
    server.on("error", reject);
  });
}
