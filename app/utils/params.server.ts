// Route parameters: a record id from the URL (`/staff/surveys/:id`) is a positive integer, or the
// page is a 404 (never a database error for `/staff/surveys/abc`).
export function idParam(value: string | undefined): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("Not Found", { status: 404 });
  return id;
}

/**
 * The answer of the catch-all routes (`$.tsx`, `staff.$.tsx`) for an address no page answers: logged as
 * one line like the router's own 404s (entry.server's handleError), then thrown to the error boundary.
 */
export function pageNotFound(request: Request): Response {
  console.warn(`404 ${request.method} ${new URL(request.url).pathname}`);
  return new Response("Not Found", { status: 404 });
}
