// Liveness with a real database round trip: 200 when the database answers, 503 otherwise.
import { pingDatabase } from "~/models/health.server";

export async function loader() {
  const headers = { "Cache-Control": "no-store" };
  try {
    await pingDatabase();
    return Response.json({ status: "ok", database: "ok" }, { headers });
  } catch (error) {
    return Response.json({ status: "unavailable", database: (error as Error).message }, { status: 503, headers });
  }
}
