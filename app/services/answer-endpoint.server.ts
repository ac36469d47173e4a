// The answer form's POST: `POST /s/<token>/answers` (personal link) and `POST /s/o/<token>/answers`
// (open link), JSON in and JSON out. It is the portal's busiest write (a campaign sends thousands of
// customers to it within minutes), so it is served by node:http directly, before Express and Remix
// (app/cli/server.ts): per request that saves building web Request/Headers/FormData objects, route
// matching and the turbo-stream encoding, which cost five times the work of the answer itself. What it
// does is the same as any route: the same zod schema as the form (answerSchema), the same services,
// one SQL statement per answer.
//
// Only `Content-Type: application/json` is accepted: a page on another site cannot send that without
// a CORS preflight, which this endpoint never grants, so a form elsewhere cannot post answers here.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { isStorableText } from "../schemas/survey-answers";
import { localeFromHeaders } from "../utils/locale.server";
import { saveDraft, submitByLink, submitOpen, surveyIdByOpenToken, type LinkState, type SubmitResult } from "./survey-responses.server";
import { logError } from "../utils/log.server";

/** Long text answers are capped at 2,000 characters: a whole answer form is far below this. */
export const MAX_ANSWER_BODY_BYTES = 256 * 1024;

const ROUTE = /^\/s\/(o\/)?([\w-]{20,100})\/answers(?:\?.*)?$/;

export interface AnswerRoute {
  open: boolean;
  token: string;
}

/** The answer endpoint a request URL names, or null for any other URL. */
export function answerRoute(url: string | undefined): AnswerRoute | null {
  const match = url ? ROUTE.exec(url) : null;
  return match ? { open: Boolean(match[1]), token: match[2]! } : null;
}

/** What the answer page posts. `answers` is checked against the survey's questions afterwards. */
const postSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("submit"), answers: z.record(z.unknown()), submissionId: z.string().max(100).refine(isStorableText).optional() }),
  z.object({ intent: z.literal("draft"), answers: z.record(z.unknown()), step: z.number().int().min(0).max(1000) }),
]);
export type AnswerPost = z.infer<typeof postSchema>;

/** What the page gets back (the status code says the same). */
export type AnswerReply =
  | { done: true }
  | { already: true }
  | { saved: boolean }
  | { fieldErrors: Record<string, string> }
  | { state: LinkState }
  | { error: string };

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function handleAnswerRequest(req: IncomingMessage, res: ServerResponse, route: AnswerRoute): Promise<void> {
  try {
    if (req.method !== "POST") {
      res.setHeader("Allow", "POST");
      throw new HttpError(405, "Use POST.");
    }
    if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) throw new HttpError(415, "Send the answers as application/json.");
    const post = parsePost(await readBody(req));
    const locale = await localeFromHeaders(req.headers.cookie, req.headers["accept-language"]);
    if (post.intent === "draft") {
      // Open links keep no drafts: nothing identifies whose draft it would be.
      return reply(res, 200, { saved: route.open ? false : await saveDraft(route.token, post.answers, post.step) });
    }
    if (route.open) {
      const surveyId = await surveyIdByOpenToken(route.token);
      if (!surveyId) return replyResult(res, { kind: "unavailable", state: "unknown" });
      return replyResult(res, await submitOpen(surveyId, post.submissionId ?? "", post.answers, locale));
    }
    return replyResult(res, await submitByLink(route.token, post.answers, locale));
  } catch (error) {
    if (error instanceof HttpError) return reply(res, error.status, { error: error.message });
    logError("answer endpoint", error);
    return reply(res, 500, { error: "Something went wrong. Please try again." });
  }
}

function parsePost(body: string): AnswerPost {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new HttpError(400, "The body is not valid JSON.");
  }
  const parsed = postSchema.safeParse(json);
  if (!parsed.success) throw new HttpError(400, "Expected {intent: \"submit\" | \"draft\", answers: {...}}.");
  return parsed.data;
}

/** The body as text, refused (413) beyond MAX_ANSWER_BODY_BYTES whatever Content-Length claims. */
function readBody(req: IncomingMessage): Promise<string> {
  if (Number(req.headers["content-length"] ?? 0) > MAX_ANSWER_BODY_BYTES) return Promise.reject(tooLarge(req));
  // Plain events: an async iterator per request costs more than the small body it reads.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_ANSWER_BODY_BYTES) return void chunks.push(chunk);
      req.off("data", onData);
      reject(tooLarge(req));
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", reject);
  });
}

function tooLarge(req: IncomingMessage) {
  // Stop reading the rest; the reply still goes out, then the connection closes.
  req.pause();
  return new HttpError(413, "The answers are too large.");
}

function replyResult(res: ServerResponse, result: SubmitResult) {
  switch (result.kind) {
    case "recorded":
      return reply(res, 200, { done: true });
    case "already_answered":
      return reply(res, 200, { already: true });
    case "invalid":
      return reply(res, 400, { fieldErrors: result.fieldErrors });
    case "unavailable":
      return reply(res, result.state === "unknown" ? 404 : 410, { state: result.state });
  }
}

function reply(res: ServerResponse, status: number, body: AnswerReply) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    ...(status === 413 ? { Connection: "close" } : {}),
  });
  res.end(text);
}
