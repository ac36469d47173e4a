// `npm run bench -- email [--messages N] [--rate R] [--concurrency C]`
//
// 1. A fake Resend API in its own process on 127.0.0.1, limited like Resend to R requests/s
//    (default 5, Resend's default team limit), answering 429 + Retry-After beyond it.
// 2. The provider-side ceiling with the same batching: the fake's own capacity for ready-made batches
//    of 100 (a bare client, no rate limit), capped by its rate limit R × 100: ceiling_per_s.
// 3. Ours: N survey invitations enqueued (timed apart: enqueue_per_s), then in-process workers take
//    them through outbox → render → rate slot → Resend SDK → record, until every one is sent:
//    messages_per_s, throughput_ratio = ours ÷ ceiling (target ≥ 0.8: the outbox is not the bottleneck).
// 4. Checks that the fake received each message exactly once.
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client.server";
import { renderEmail } from "../emails";
import { enqueueEmails, type OutgoingEmail } from "~/models/outbox.server";
import { startMailWorker } from "~/services/mail-worker.server";
import { resendTransport } from "~/utils/email-transport.server";
import { log, measured, onCleanup, openBenchDatabase, parseBenchArgs, round, timed } from "./lib";

export interface EmailResult {
  messages_per_s: number;
  throughput_ratio: number;
  ceiling_per_s: number;
  fake_capacity_per_s: number;
  enqueue_per_s: number;
  rate_limit_rps: number;
  rate_limited_requests: number;
  messages: number;
  database: string;
  peak_rss_mb: number;
}

export async function runEmailBench(args: string[]): Promise<EmailResult> {
  const { messages, rate, concurrency } = parseBenchArgs(args, { messages: 10_000, rate: 5, concurrency: 4 });
  return measured(() => run(messages, rate, concurrency));
}

async function run(messages: number, rate: number, concurrency: number) {
  // 2. The provider-side ceiling with the same batching: the fake's own capacity for batches of 100
  //    (a bare client posting them back to back, 4 in flight, to an unlimited fake), capped by the
  //    rate limit it enforces (R requests/s × 100).
  const sample = await renderEmail("survey-invitation", sampleData(0), {
    brand: { name: "Loyalty Portal", color: "#2f5bea", timeZone: "Asia/Tokyo" },
    locale: "ja",
    unsubscribeUrl: "http://localhost:3000/u/sample",
  });
  const batch = (n: number) =>
    JSON.stringify(
      Array.from({ length: 100 }, (_, i) => ({
        from: "Loyalty Portal <noreply@example.com>",
        to: [`ceiling-${n}-${i}@example.com`],
        subject: sample.subject,
        html: sample.html,
        text: sample.text,
      })),
    );
  const unlimited = await startFakeProcess(0);
  const requests = 300;
  let next = 0;
  const raw = await timed(() =>
    Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < requests) {
          const response = await fetch(`${unlimited.url}/emails/batch`, {
            method: "POST",
            headers: { authorization: "Bearer re_bench", "content-type": "application/json" },
            body: batch(next++),
          });
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`the fake answered ${response.status}`);
        }
      }),
    ),
  );
  await unlimited.stop();
  const capacityPerS = (requests * 100) / raw.seconds;
  const ceilingPerS = Math.min(capacityPerS, rate * 100);
  log(`fake capacity ${Math.round(capacityPerS)} messages/s; its rate limit allows ${rate * 100}: ceiling ${Math.round(ceilingPerS)}`);

  const fake = await startFakeProcess(rate);
  log(`fake Resend at ${fake.url}, ${rate} requests/s`);

  const db = await openBenchDatabase();
  log(`database: ${db.kind}`);
  await db.handle.db.execute(
    sql`insert into customers (external_id, email, name, marketing_consent)
        select 'B' || g, 'bench-' || g || '@example.com', 'Customer ' || g, true from generate_series(1, ${messages}) g`,
  );
  const customers = await queryRows<{ id: number }>(sql`select id from customers order by id`);

  // 3a. Enqueue, in chunks as a survey send would.
  const enqueued = await timed(async () => {
    for (let start = 0; start < customers.length; start += 5000) {
      const emails: OutgoingEmail[] = customers.slice(start, start + 5000).map(({ id }) => ({
        template: "survey-invitation",
        idempotencyKey: `survey-invitation:bench:${id}`,
        to: `bench-${id}@example.com`,
        customerId: Number(id),
        locale: Number(id) % 5 === 0 ? "en" : "ja",
        data: sampleData(Number(id)),
      }));
      await db.handle.db.transaction((tx) => enqueueEmails(emails, tx));
    }
  });
  log(`enqueued ${messages} in ${enqueued.seconds.toFixed(1)} s`);

  // 3b. The workers, until every message is sent.
  const transport = resendTransport({ apiKey: "re_bench", baseUrl: fake.url, requestsPerSecond: rate });
  const sent = await timed(async () => {
    const worker = startMailWorker({ transport, concurrency, pollMs: 50, workerId: "bench" });
    try {
      for (;;) {
        await sleep(250);
        const [row] = await queryRows<{ open: number; sent: number }>(
          sql`select count(*) filter (where status in ('queued', 'sending'))::int as open,
                     count(*) filter (where status = 'sent')::int as sent from outbox_messages`,
        );
        if (row!.open === 0) {
          if (row!.sent !== messages) throw new Error(`only ${row!.sent} of ${messages} messages were sent`);
          return;
        }
      }
    } finally {
      await worker.stop();
    }
  });
  const perS = messages / sent.seconds;
  log(`sent ${messages} in ${sent.seconds.toFixed(1)} s = ${Math.round(perS)} messages/s`);

  // 4. Each message arrived once.
  const stats = (await (await fetch(`${fake.url}/_stats`)).json()) as { delivered: number; recipients: number; rateLimited: number };
  if (stats.delivered !== messages || stats.recipients !== messages) {
    throw new Error(`the fake received ${stats.delivered} messages for ${stats.recipients} recipients; expected ${messages} each`);
  }

  return {
    messages_per_s: round(perS, 1),
    throughput_ratio: round(perS / ceilingPerS, 3),
    ceiling_per_s: round(ceilingPerS, 1),
    fake_capacity_per_s: round(capacityPerS, 0),
    enqueue_per_s: round(messages / enqueued.seconds, 0),
    rate_limit_rps: rate,
    rate_limited_requests: stats.rateLimited,
    messages,
    database: db.kind,
  };
}

function sampleData(n: number) {
  return {
    customerName: `Customer ${n}`,
    surveyTitle: "ご愛顧アンケート 2026",
    surveyUrl: `https://portal.example/s/${n.toString(36).padStart(22, "x")}`,
    expiresAt: "2026-12-31T14:59:00Z",
    estimatedMinutes: 3,
  };
}

async function startFakeProcess(rate: number) {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "fake-resend-server.ts"), String(rate)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const stop = onCleanup(async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), "line")) as [string];
  return { ...(JSON.parse(line) as { url: string }), stop };
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
