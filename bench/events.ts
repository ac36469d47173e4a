// `npm run bench -- events [--invitees N] [--seats S]`
//
// A town meeting with S seats and N invitees who all answer "attend" at the same moment, then two doors
// scanning every ticket at once:
// 1. A throw-away database (lib.ts). Through the service staff use (app/services/events.server.ts): an
//    event 7 days ahead (Asia/Tokyo, capacity S, no companions, answers until the start, "Bench hall"),
//    N stakeholders of kind "partner" (bench-<i>@example.com) invited, then published, which queues one
//    "event-invitation" email per invitee in the outbox. Each invitee's RSVP link is read from that
//    email's data (`rsvpUrl` = <public url>/e/<token>): links are stored hashed, the email is the only
//    place the token exists. A staff account with a password, for the doors.
// 2. The built portal (build/index.js; built when missing) as a child process, and all N answers fired at
//    once over HTTP as the RSVP page's form posts them: `POST /e/<token>` with `intent=attend&seats=1&notes=`
//    and the portal's own Origin (a cross-site POST gets 403). The answer is a 303 back to /e/<token>.
//    → rsvp_p50_ms, rsvp_p99_ms (each request's wall time, all in flight together); rsvp_errors: non-303.
// 3. The database: confirmed, waitlisted, over_capacity, order_violations (see checkSeats).
// 4. The doors: signed in over HTTP (/login), two clients each scan every confirmed ticket once, in the
//    same order, so every ticket is scanned twice at nearly the same moment, at doors A and B:
//    `POST /staff/events/<id>/check-in` with `intent=code&code=<ticket>&door=A|B` as the door page's
//    fetcher posts it. The answer is `{ result: { ok: true, … } }` for a check-in and `{ result: { ok:
//    false, reason: "already", … } }` for the second scan. → checkins (invitees with checked_in_at),
//    double_checkins (ok:true answers − distinct tickets checked in; must be 0), checkin_p50_ms, checkin_p99_ms;
//    checkin_errors: answers that are neither (must be 0).
//
// On PostgreSQL (DATABASE_URL) the bench reads the database while the portal serves it. On PGlite, a
// single-process database, the bench sets up the folder, lets go of it, and the portal child serves it;
// the bench reads the figures (and the tickets for the doors) only while the child is stopped: it stops
// the child after the answers and starts it again for the doors.
import { randomBytes } from "node:crypto";
import { decode } from "turbo-stream";
import { insertStaff } from "~/models/staff.server";
import { createEvent, inviteStakeholders, publishEvent, type EventFormInput } from "~/services/events.server";
import { hashPassword } from "~/utils/crypto.server";
import {
  ensureBuild,
  log,
  openBenchDatabase,
  parseBenchArgs,
  quantile,
  rawQuery,
  round,
  runCleanups,
  startPortal,
  UsageError,
  type BenchDatabase,
  type ChildServer,
} from "./lib";

export interface EventsResult {
  database: string;
  invitees: number;
  seats: number;
  confirmed: number;
  waitlisted: number;
  over_capacity: number;
  order_violations: number;
  rsvp_errors: number;
  rsvp_p50_ms: number;
  rsvp_p99_ms: number;
  checkins: number;
  double_checkins: number;
  checkin_errors: number;
  checkin_p50_ms: number;
  checkin_p99_ms: number;
}

const STAFF_EMAIL = "bench-door@example.com";
const STAFF_PASSWORD = "bench door staff password 1";
const DOORS = ["A", "B"] as const;

export async function runEventsBench(args: string[]): Promise<EventsResult> {
  const { invitees, seats } = parseBenchArgs(args, { invitees: 200, seats: 50 });
  if (seats > 100_000) throw new UsageError("--seats: at most 100000 (an event's largest capacity)");
  try {
    return await run(invitees, seats);
  } finally {
    await runCleanups();
  }
}

async function run(invitees: number, seats: number): Promise<EventsResult> {
  // The services read the environment (links in emails, the session secret): never the repository's
  // ./data/session-secret, which a secret-less development environment would create.
  process.env.SESSION_SECRET ||= randomBytes(32).toString("hex");
  const sessionSecret = randomBytes(32).toString("hex");
  ensureBuild();

  const db = await openBenchDatabase();
  log(`database: ${db.kind}`);
  const { eventId, tokens } = await setUp(db, invitees, seats);
  log(`event ${eventId}: ${seats} seats, ${tokens.length} invitees with their links read from the outbox`);

  // The portal serves the database; on PGlite this process lets go of the folder first.
  let portal: ChildServer | null = null;
  const serve = async () => {
    await db.release();
    portal = await startPortal(db.kind === "postgres" ? { databaseUrl: db.url!, sessionSecret } : { dataDir: db.dataDir!, sessionSecret });
    log(`portal at ${portal.url} (pid ${portal.pid})`);
    return portal;
  };
  /** Runs `fn` on the database: at once on PostgreSQL; on PGlite with the portal stopped meanwhile. */
  const withDatabase = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (db.kind === "postgres") return fn();
    const running = portal;
    if (running) {
      await running.stop();
      portal = null;
    }
    await db.reacquire();
    try {
      return await fn();
    } finally {
      if (running) await serve();
    }
  };

  const rsvpPortal = await serve();
  const rsvp = await answerAll(rsvpPortal.url, tokens);
  log(`${tokens.length} answers at once: ${rsvp.errors} not 303 (${JSON.stringify(rsvp.statuses)}), p50 ${rsvp.p50.toFixed(1)} ms, p99 ${rsvp.p99.toFixed(1)} ms`);

  const { figures, tickets } = await withDatabase(async () => ({ figures: await checkSeats(db, eventId), tickets: await confirmedTickets(db, eventId) }));
  log(`confirmed ${figures.confirmed}, waitlisted ${figures.waitlisted}, over capacity ${figures.over_capacity}, order violations ${figures.order_violations}`);

  const doorPortal: ChildServer = portal ?? (await serve());
  const cookie = await signIn(doorPortal.url);
  const doors = await checkInTwice(doorPortal.url, cookie, eventId, tickets);
  log(
    `${tickets.length} tickets scanned at 2 doors at once: ${doors.ok} checked in, ${doors.already} "already", ${doors.errors} other answers` +
      ` (${doors.via}), p50 ${doors.p50.toFixed(1)} ms, p99 ${doors.p99.toFixed(1)} ms`,
  );
  await doorPortal.stop();
  portal = null;

  await db.reacquire();
  const [{ n: checkins }] = await rawQuery<{ n: number }>(
    db.handle,
    `select count(*)::int as n from event_invitees where event_id = ${eventId} and checked_in_at is not null`,
  );
  await db.close();

  return {
    database: db.kind,
    invitees,
    seats,
    ...figures,
    rsvp_errors: rsvp.errors,
    rsvp_p50_ms: round(rsvp.p50, 1),
    rsvp_p99_ms: round(rsvp.p99, 1),
    checkins,
    double_checkins: doors.ok - doors.distinctOk,
    checkin_errors: doors.errors,
    checkin_p50_ms: round(doors.p50, 1),
    checkin_p99_ms: round(doors.p99, 1),
  };
}

// ---- Set-up, through the service staff use ------------------------------------------------------------

async function setUp(db: BenchDatabase, invitees: number, seats: number) {
  const startsAt = new Date(Date.now() + 7 * 86_400_000);
  startsAt.setUTCMinutes(0, 0, 0);
  const input: EventFormInput = {
    title: { ja: "ベンチマーク説明会", en: "Bench town meeting" },
    description: { ja: "", en: "" },
    agenda: { ja: "", en: "" },
    startsAt,
    endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
    timeZone: "Asia/Tokyo",
    capacity: seats,
    rsvpDeadline: null,
    companionsAllowed: 0,
    venue: "Bench hall",
    onlineUrl: null,
  };
  const event = await createEvent(input, null);
  const rows = Array.from({ length: invitees }, (_, i) => ({ name: `Bench partner ${i + 1}`, email: `bench-${i + 1}@example.com`, kind: "partner" }));
  const invited = await inviteStakeholders(event.id, rows, "stakeholder", null);
  if (!invited.ok) throw new Error(`inviteStakeholders refused the rows: ${JSON.stringify(invited.issues.slice(0, 5))}`);
  if (invited.invited !== invitees) throw new Error(`inviteStakeholders invited ${invited.invited} of ${invitees}`);
  const published = await publishEvent(event.id);
  if (published.emailed !== invitees) throw new Error(`publishing queued ${published.emailed} invitations for ${invitees} invitees`);
  await insertStaff({ name: "Bench door", email: STAFF_EMAIL, passwordHash: await hashPassword(STAFF_PASSWORD), role: "staff", isFounder: false });

  // The emailed links: the token is the last path segment of each invitation's rsvpUrl.
  const emails = await rawQuery<{ url: string }>(
    db.handle,
    `select data->>'rsvpUrl' as url from outbox_messages where template = 'event-invitation' order by id`,
  );
  const tokens = emails.map(({ url }) => {
    const match = /\/e\/([^/?#]+)$/.exec(new URL(url).pathname);
    if (!match) throw new Error(`an invitation's rsvpUrl is not /e/<token>: ${url}`);
    return decodeURIComponent(match[1]!);
  });
  if (tokens.length !== invitees || new Set(tokens).size !== invitees) throw new Error(`${tokens.length} invitation emails (${new Set(tokens).size} distinct links) for ${invitees} invitees`);
  return { eventId: event.id, tokens };
}

// ---- The answers -----------------------------------------------------------------------------------------

async function answerAll(origin: string, tokens: string[]) {
  const statuses: Record<string, number> = {};
  const times: number[] = [];
  // Every request is started before any answer is awaited: all in flight together.
  const outcomes = await Promise.all(
    tokens.map(async (token) => {
      const t0 = performance.now();
      try {
        const response = await fetch(`${origin}/e/${encodeURIComponent(token)}`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded", origin },
          body: "intent=attend&seats=1&notes=",
          signal: AbortSignal.timeout(120_000),
        });
        await response.arrayBuffer();
        times.push(performance.now() - t0);
        const good = response.status === 303 && response.headers.get("location") === `/e/${encodeURIComponent(token)}`;
        return good ? "303" : String(response.status);
      } catch (error) {
        times.push(performance.now() - t0);
        return `error: ${(error as Error).message}`;
      }
    }),
  );
  for (const o of outcomes) statuses[o] = (statuses[o] ?? 0) + 1;
  return { errors: outcomes.filter((o) => o !== "303").length, statuses, p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

// ---- The figures -----------------------------------------------------------------------------------------

/**
 * The seats as given, and order_violations, the sum of two counts (0 when the seats went in strict
 * answer order):
 *  - confirmed out of order: confirmed invitees whose answer_seq is not below every waitlisted
 *    invitee's (c.answer_seq >= min(waitlisted answer_seq)): someone who answered earlier waits while
 *    they have a seat. With every party one seat and nobody cancelling, strict answer order gives the
 *    first S answers (by answer_seq) the seats and the rest the waitlist, so all confirmed answer_seq
 *    are below all waitlisted ones. (Parties of several seats could rightly let a later, smaller party
 *    in; this bench asks one seat each, so any such invitee is a fault.)
 *  - waitlisted pairs out of order. A waitlisted invitee's position is the rank of its answer_seq among
 *    the event's waitlisted invitees (1 = next in line), as waitlistPosition() in
 *    app/models/events.server.ts computes it: the number of waitlisted invitees with answer_seq <= its
 *    own. A pair (w1, w2) is out of order when w1 answered first (smaller answer_seq) but its position is
 *    not ahead of w2's, or when their positions cannot be told apart (equal answer_seq, so the same
 *    position). Under this definition only ties can put a pair out of order, so this counts pairs of
 *    waitlisted invitees sharing an answer_seq (the sequence should make that impossible).
 * The pairs (confirmed, waitlisted answered earlier) are logged as well, as a measure of how far off the
 * order is.
 */
async function checkSeats(db: BenchDatabase, eventId: number) {
  const [row] = await rawQuery<{ confirmed: number; waitlisted: number; seats_taken: number; capacity: number; unanswered: number; no_seq: number }>(
    db.handle,
    `select count(*) filter (where i.rsvp_status = 'confirmed')::int as confirmed,
            count(*) filter (where i.rsvp_status = 'waitlisted')::int as waitlisted,
            coalesce(sum(i.seats) filter (where i.rsvp_status = 'confirmed'), 0)::int as seats_taken,
            count(*) filter (where i.rsvp_status is null)::int as unanswered,
            count(*) filter (where i.rsvp_status in ('confirmed', 'waitlisted') and i.answer_seq is null)::int as no_seq,
            (select capacity from events where id = ${eventId}) as capacity
     from event_invitees i where i.event_id = ${eventId}`,
  );
  const [order] = await rawQuery<{ confirmed_late: number; waitlist_ties: number; pairs: number }>(
    db.handle,
    `with q as (
       select id, rsvp_status, answer_seq from event_invitees
       where event_id = ${eventId} and rsvp_status in ('confirmed', 'waitlisted')
     )
     select (select count(*) from q c
             where c.rsvp_status = 'confirmed'
               and c.answer_seq >= (select min(answer_seq) from q where rsvp_status = 'waitlisted'))::int as confirmed_late,
            (select count(*) from q w1 join q w2 on w1.answer_seq = w2.answer_seq and w1.id < w2.id
             where w1.rsvp_status = 'waitlisted' and w2.rsvp_status = 'waitlisted')::int as waitlist_ties,
            (select count(*) from q c join q w on w.answer_seq < c.answer_seq
             where c.rsvp_status = 'confirmed' and w.rsvp_status = 'waitlisted')::int as pairs`,
  );
  if (order!.confirmed_late > 0 || order!.waitlist_ties > 0) {
    log(
      `out of answer order: ${order!.confirmed_late} confirmed invitees answered after someone waitlisted ` +
        `(${order!.pairs} such pairs); ${order!.waitlist_ties} waitlisted pairs share an answer_seq`,
    );
  }
  if (row!.unanswered > 0) log(`note: ${row!.unanswered} invitees have no answer recorded`);
  if (row!.no_seq > 0) log(`note: ${row!.no_seq} answers have no answer_seq`);
  return {
    confirmed: row!.confirmed,
    waitlisted: row!.waitlisted,
    over_capacity: Math.max(0, row!.seats_taken - row!.capacity),
    order_violations: order!.confirmed_late + order!.waitlist_ties,
  };
}

async function confirmedTickets(db: BenchDatabase, eventId: number): Promise<string[]> {
  const rows = await rawQuery<{ ticket_code: string | null }>(
    db.handle,
    `select ticket_code from event_invitees where event_id = ${eventId} and rsvp_status = 'confirmed' order by answer_seq`,
  );
  const missing = rows.filter((r) => !r.ticket_code).length;
  if (missing > 0) log(`note: ${missing} confirmed invitees have no ticket code`);
  return rows.map((r) => r.ticket_code).filter((t): t is string => !!t);
}

// ---- The doors ---------------------------------------------------------------------------------------------

/** Signs the staff account in through the login form; returns the session cookie ("name=value"). */
async function signIn(origin: string): Promise<string> {
  const response = await fetch(`${origin}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin },
    body: new URLSearchParams({ email: STAFF_EMAIL, password: STAFF_PASSWORD, redirectTo: "/" }).toString(),
  });
  await response.arrayBuffer();
  const setCookie = response.headers.getSetCookie();
  if (response.status < 300 || response.status >= 400 || setCookie.length === 0) {
    throw new Error(`signing in at /login answered ${response.status} with ${setCookie.length} cookies`);
  }
  return setCookie.map((c) => c.split(";")[0]).join("; ");
}

type DoorAnswer = { ok: true } | { ok: false; reason: string } | null;

interface DoorEndpoint {
  via: string;
  url: string;
  read(response: Response): Promise<DoorAnswer>;
}

/**
 * The door page's fetcher posts to `<path>.data` (single fetch: the answer is turbo-stream, `{ data:
 * { result } }`); the classic `?_data=<route id>` answers JSON. Which one this build speaks is found with
 * a code that is not a ticket (it changes nothing and answers `reason: "not_a_ticket"`).
 */
async function doorEndpoint(origin: string, cookie: string, eventId: number): Promise<DoorEndpoint> {
  const path = `/staff/events/${eventId}/check-in`;
  const candidates: DoorEndpoint[] = [
    { via: "single fetch (.data, turbo-stream)", url: `${origin}${path}.data`, read: readTurboStream },
    { via: "?_data= (JSON)", url: `${origin}${path}?_data=${encodeURIComponent("routes/staff.events.$id.check-in")}`, read: readJson },
  ];
  const tried: string[] = [];
  for (const candidate of candidates) {
    const response = await postDoor(candidate.url, origin, cookie, "not a ticket", "A");
    const answer = await candidate.read(response).catch(() => null);
    if (answer && !answer.ok && answer.reason === "not_a_ticket") return candidate;
    tried.push(`${candidate.via}: ${response.status} ${JSON.stringify(answer)}`);
  }
  throw new Error(`the door endpoint answered neither way: ${tried.join("; ")}`);
}

function postDoor(url: string, origin: string, cookie: string, code: string, door: string) {
  return fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin, cookie },
    body: new URLSearchParams({ intent: "code", code, door }).toString(),
    signal: AbortSignal.timeout(60_000),
  });
}

function resultOf(value: unknown): DoorAnswer {
  const result = (value as { result?: { ok?: unknown; reason?: unknown } } | null)?.result;
  if (!result || typeof result.ok !== "boolean") return null;
  return result.ok ? { ok: true } : { ok: false, reason: String(result.reason) };
}

async function readJson(response: Response): Promise<DoorAnswer> {
  if (response.status !== 200 || !response.headers.get("content-type")?.includes("json")) {
    await response.arrayBuffer();
    return null;
  }
  return resultOf(await response.json());
}

async function readTurboStream(response: Response): Promise<DoorAnswer> {
  // Remix sends its turbo-stream as text/x-script.
  if (response.status !== 200 || !response.body || !/^text\/x-script|turbo-stream/.test(response.headers.get("content-type") ?? "")) {
    await response.arrayBuffer();
    return null;
  }
  const decoded = await decode(response.body);
  await decoded.done;
  // An action's single-fetch answer: { data } (or { error }, { redirect }).
  return resultOf((decoded.value as { data?: unknown } | null)?.data);
}

async function checkInTwice(origin: string, cookie: string, eventId: number, tickets: string[]) {
  const endpoint = await doorEndpoint(origin, cookie, eventId);
  const times: number[] = [];
  const okTickets: string[] = [];
  let already = 0;
  const other: Record<string, number> = {};
  // Two doors, each scanning every ticket once, one after another, in the same order: both scan the same
  // ticket at nearly the same moment.
  await Promise.all(
    DOORS.map(async (door) => {
      for (const ticket of tickets) {
        const t0 = performance.now();
        let answer: DoorAnswer;
        let status = 0;
        try {
          const response = await postDoor(endpoint.url, origin, cookie, ticket, door);
          status = response.status;
          answer = await endpoint.read(response);
        } catch (error) {
          answer = null;
          other[`error: ${(error as Error).message}`] = (other[`error: ${(error as Error).message}`] ?? 0) + 1;
        }
        times.push(performance.now() - t0);
        if (answer?.ok) okTickets.push(ticket);
        else if (answer && answer.reason === "already") already++;
        else if (status) other[answer ? answer.reason : `HTTP ${status}`] = (other[answer ? answer.reason : `HTTP ${status}`] ?? 0) + 1;
      }
    }),
  );
  const errors = Object.values(other).reduce((s, n) => s + n, 0);
  if (errors > 0) log(`door answers that were neither a check-in nor "already": ${JSON.stringify(other)}`);
  return {
    via: endpoint.via,
    ok: okTickets.length,
    distinctOk: new Set(okTickets).size,
    already,
    errors,
    p50: quantile(times, 0.5),
    p99: quantile(times, 0.99),
  };
}
