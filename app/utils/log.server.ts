// Errors written to the log, in one shape and without what a failed query carried: its parameters
// (customers' addresses, personal-link tokens, answers, password hashes) never reach the log. The
// statement, the database's error code and message and where it happened are enough to find the cause.
import { DrizzleQueryError } from "drizzle-orm";

/** `context: description`, as console.error. */
export function logError(context: string, error: unknown): void {
  console.error(`${context}: ${describeError(error)}`);
}

/** An error as the log shows it: message (a failed query's statement, not its parameters), stack, causes. */
export function describeError(error: unknown, depth = 0): string {
  if (!(error instanceof Error)) return String(error);
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  const code = (error as { code?: unknown }).code;
  const message =
    error instanceof DrizzleQueryError
      ? `Failed query: ${error.query}`
      : `${error.name}${typeof code === "string" ? ` [${code}]` : ""}: ${withoutValues(error.message, code)}`;
  const cause = error.cause !== undefined && depth < 3 ? `\nCaused by: ${describeError(error.cause, depth + 1)}` : "";
  return [message, ...frames].join("\n") + cause;
}

/**
 * A message without the values it quotes: drizzle's `params: …` line goes, and a database's data
 * exception (SQLSTATE class 22, e.g. `invalid input syntax for type integer: "…"`) keeps its wording
 * but not the value. (A constraint violation's values are in its detail, which is not logged.)
 */
function withoutValues(message: string, code: unknown): string {
  const text = message.replace(/\nparams: [\s\S]*$/, "");
  return typeof code === "string" && code.startsWith("22") ? text.replace(/"(?:[^"]|"")*"/g, '"…"') : text;
}
