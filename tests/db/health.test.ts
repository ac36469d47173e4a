import { describe, expect, it } from "vitest";
import { loader } from "~/routes/healthz";
import { useTestDatabase } from "../setup/db";

describe("GET /healthz", () => {
  const database = useTestDatabase();

  it("answers 200 when the database is reachable", async () => {
    const response = await loader();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: "ok" });
  });

  it("answers 503 when the database is gone", async () => {
    const handle = database.current;
    await handle.close();
    const response = await loader();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "unavailable" });
  });
});
