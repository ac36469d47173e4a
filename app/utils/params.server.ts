// Route parameters: a record id from the URL (`/staff/surveys/:id`) is a positive integer, or the
// page is a 404 (never a database error for `/staff/surveys/abc`).
export function idParam(value: string | undefined): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("Not Found", { status: 404 });
  return id;
}
