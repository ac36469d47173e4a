// The worker's decisions that need no database: what each provider answer means, Retry-After in both
// of its forms, and the back-off curve.
import { describe, expect, it } from "vitest";
import { sendKey } from "~/models/outbox.server";
import { backoffDelay } from "~/services/mail-worker.server";
import { failure, retryAfterMs } from "~/utils/email-transport.server";

describe("provider answers", () => {
  it("retries what may succeed later and stops at what will not", () => {
    expect(failure({ statusCode: 429, name: "rate_limit_exceeded", message: "slow down" }, { "retry-after": "3" })).toMatchObject({
      kind: "retry",
      rateLimited: true,
      retryAfterMs: 3000,
    });
    expect(failure({ statusCode: 500, name: "internal_server_error", message: "oops" }, null).kind).toBe("retry");
    // No answer at all: the request may or may not have arrived; the retry repeats it with the same key.
    expect(failure({ statusCode: null, name: "application_error", message: "Unable to fetch data." }, null).kind).toBe("retry");
    expect(failure({ statusCode: 409, name: "concurrent_idempotent_requests", message: "in progress" }, null).kind).toBe("retry");
    expect(failure({ statusCode: 409, name: "invalid_idempotent_request", message: "different payload" }, null).kind).toBe("rejected");
    expect(failure({ statusCode: 422, name: "validation_error", message: "Invalid `to` field." }, null)).toEqual({
      kind: "rejected",
      reason: "422 validation_error: Invalid `to` field.",
    });
    expect(failure({ statusCode: 403, name: "invalid_api_key", message: "API key is invalid" }, null).kind).toBe("rejected");
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-11-23T10:00:00Z");
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs("Mon, 23 Nov 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("Mon, 23 Nov 2026 09:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe("back-off", () => {
  it("doubles per attempt, half fixed and half random, up to the cap", () => {
    expect(backoffDelay(1, 10_000, 3_600_000, () => 0)).toBe(5_000);
    expect(backoffDelay(1, 10_000, 3_600_000, () => 1)).toBe(10_000);
    expect(backoffDelay(4, 10_000, 3_600_000, () => 0.5)).toBe(60_000);
    expect(backoffDelay(20, 10_000, 3_600_000, () => 1)).toBe(3_600_000);
  });
});

describe("send keys", () => {
  it("uses a lone message's own key and a digest of the members for a batch, whatever their order", () => {
    expect(sendKey(["survey-invitation:1:42"])).toBe("survey-invitation:1:42");
    expect(sendKey(["a", "b", "c"])).toBe(sendKey(["c", "a", "b"]));
    expect(sendKey(["a", "b"])).not.toBe(sendKey(["a", "c"]));
    expect(sendKey(["x".repeat(300)]).length).toBeLessThanOrEqual(256);
  });
});
