// Town meetings' rules (DESIGN §6, issue 18), pure: the event's input rules, its status machine,
// seat allocation with a waitlist, when an invitee may answer or cancel, and the ticket code format
// (made from random bytes the caller supplies). No library imports; the time zone check uses the
// built-in Intl.
//
// Status: draft → published → done; draft | published → cancelled. Done and cancelled are final.
//
// Seats (the rule chosen: strict order of answer, nobody passes):
//   - Requests are served in order of answer (answeredAt, then the order given for equal instants).
//   - A request is confirmed when its seats fit in what remains AND nobody earlier is waiting.
//   - A request that does not fit waits, and so does every later request, even a smaller one that
//     would fit: the first in line is always the next to move up. Seats may stay empty while the head
//     of the waitlist asks more than remain; that is the price of a queue nobody can jump.
//   - Declined and cancelled answers hold no seat and no place in line.
//   - Promotion never takes a seat away: a confirmed answer stays confirmed even if capacity shrinks
//     below the seats already given (the event is then over capacity until people cancel).

// ---- Input ---------------------------------------------------------------------------------------

export interface LocalizedText {
  ja: string;
  en: string;
}

export interface EventInput {
  title: LocalizedText;
  startsAt: Date;
  endsAt: Date;
  /** An IANA time zone, e.g. "Asia/Tokyo". */
  timeZone: string;
  /** Seats, a positive integer. */
  capacity: number;
  /** Answers close at this instant; null: at the start. Must not be after the start. */
  rsvpDeadline: Date | null;
  /** Seats an invitee may ask beyond their own, 0..MAX_COMPANIONS. */
  companionsAllowed: number;
}

export const MAX_COMPANIONS = 10;
export const MAX_CAPACITY = 100_000;

export type EventField = "title" | "venue" | "startsAt" | "endsAt" | "timeZone" | "capacity" | "rsvpDeadline" | "companionsAllowed";

export type EventInputProblem =
  | "required"
  | "invalid_date"
  | "end_not_after_start"
  | "invalid_time_zone"
  | "not_positive_integer"
  | "too_large"
  | "deadline_after_start"
  | "negative"
  | "not_integer"
  | "too_many";

export interface EventInputIssue {
  field: EventField;
  problem: EventInputProblem;
}

const validDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());

/** Whether the built-in Intl knows the zone (IANA names, "UTC"). */
export function isTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== "string" || timeZone.trim() === "") return false;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The problems of an event's input, field by field; empty when it is fine. */
export function checkEventInput(input: EventInput): EventInputIssue[] {
  const issues: EventInputIssue[] = [];
  const add = (field: EventField, problem: EventInputProblem) => issues.push({ field, problem });

  if ((input.title?.ja ?? "").trim() === "" && (input.title?.en ?? "").trim() === "") add("title", "required");

  const startOk = validDate(input.startsAt);
  const endOk = validDate(input.endsAt);
  if (!startOk) add("startsAt", "invalid_date");
  if (!endOk) add("endsAt", "invalid_date");
  if (startOk && endOk && input.endsAt.getTime() <= input.startsAt.getTime()) add("endsAt", "end_not_after_start");

  if (!isTimeZone(input.timeZone)) add("timeZone", "invalid_time_zone");

  if (!Number.isInteger(input.capacity) || input.capacity <= 0) add("capacity", "not_positive_integer");
  else if (input.capacity > MAX_CAPACITY) add("capacity", "too_large");

  if (input.rsvpDeadline !== null) {
    if (!validDate(input.rsvpDeadline)) add("rsvpDeadline", "invalid_date");
    else if (startOk && input.rsvpDeadline.getTime() > input.startsAt.getTime()) add("rsvpDeadline", "deadline_after_start");
  }

  const c = input.companionsAllowed;
  if (typeof c !== "number" || Number.isNaN(c)) add("companionsAllowed", "not_integer");
  else if (c < 0) add("companionsAllowed", "negative");
  else if (!Number.isInteger(c)) add("companionsAllowed", "not_integer");
  else if (c > MAX_COMPANIONS) add("companionsAllowed", "too_many");

  return issues;
}

// ---- Status --------------------------------------------------------------------------------------

export const eventStatuses = ["draft", "published", "done", "cancelled"] as const;
export type EventStatus = (typeof eventStatuses)[number];

export const eventStatusEvents = ["publish", "finish", "cancel"] as const;
export type EventStatusEvent = (typeof eventStatusEvents)[number];

export type EventTransitionError = "not_published" | "already_published" | "already_done" | "already_cancelled";

export type EventTransitionResult = { ok: true; status: EventStatus } | { ok: false; error: EventTransitionError };

/** One move of the event's status, or why it is refused. */
export function eventTransition(status: EventStatus, event: EventStatusEvent): EventTransitionResult {
  const ok = (next: EventStatus): EventTransitionResult => ({ ok: true, status: next });
  const no = (error: EventTransitionError): EventTransitionResult => ({ ok: false, error });
  if (status === "done") return no("already_done");
  if (status === "cancelled") return no("already_cancelled");
  switch (event) {
    case "publish":
      return status === "draft" ? ok("published") : no("already_published");
    case "finish":
      return status === "published" ? ok("done") : no("not_published");
    case "cancel":
      return ok("cancelled");
  }
}

// ---- Seats and waitlist --------------------------------------------------------------------------

export const rsvpStatuses = ["confirmed", "waitlisted", "declined", "cancelled"] as const;
export type RsvpStatus = (typeof rsvpStatuses)[number];

export interface Rsvp {
  id: string;
  /** Seats asked, the invitee included (≥ 1). */
  seats: number;
  status: RsvpStatus;
  answeredAt: Date;
}

export interface WaitlistPlace {
  id: string;
  /** 1 is next in line. */
  position: number;
  seats: number;
}

export interface Allocation {
  /** Confirmed ids in answer order. */
  confirmed: string[];
  /** Waiting, in answer order, positions 1..n. */
  waitlist: WaitlistPlace[];
  seatsTaken: number;
  seatsLeft: number;
}

/** Answers in order of answer; equal instants keep the order given (Array.prototype.sort is stable). */
export function inAnswerOrder<T extends Pick<Rsvp, "answeredAt">>(rsvps: readonly T[]): T[] {
  return [...rsvps].sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime());
}

const wantsSeat = (r: Rsvp) => r.status === "confirmed" || r.status === "waitlisted";

/**
 * Seats from scratch: every answer that wants a seat (confirmed or waitlisted), in answer order,
 * under the strict rule above. Declined and cancelled answers are left out.
 */
export function allocate(capacity: number, rsvps: readonly Rsvp[]): Allocation {
  let left = Math.max(0, capacity);
  let taken = 0;
  const confirmed: string[] = [];
  const waitlist: WaitlistPlace[] = [];
  for (const r of inAnswerOrder(rsvps.filter(wantsSeat))) {
    if (waitlist.length === 0 && r.seats <= left) {
      confirmed.push(r.id);
      left -= r.seats;
      taken += r.seats;
    } else {
      waitlist.push({ id: r.id, position: waitlist.length + 1, seats: r.seats });
    }
  }
  return { confirmed, waitlist, seatsTaken: taken, seatsLeft: left };
}

/**
 * After a cancellation or capacity growth: the waitlisted ids that move up, in order. Confirmed answers
 * keep their seats; the waitlist moves from its head while the head fits and stops at the first that
 * does not (nobody passes).
 */
export function promote(capacity: number, rsvps: readonly Rsvp[]): string[] {
  const held = rsvps.filter((r) => r.status === "confirmed").reduce((sum, r) => sum + r.seats, 0);
  let left = capacity - held;
  const moved: string[] = [];
  for (const r of inAnswerOrder(rsvps.filter((r) => r.status === "waitlisted"))) {
    if (r.seats > left) break;
    moved.push(r.id);
    left -= r.seats;
  }
  return moved;
}

/** The waitlist as it stands (statuses as stored), positions 1..n in answer order. */
export function waitlistPositions(rsvps: readonly Rsvp[]): WaitlistPlace[] {
  return inAnswerOrder(rsvps.filter((r) => r.status === "waitlisted")).map((r, i) => ({ id: r.id, position: i + 1, seats: r.seats }));
}

/** Whether a request for this many seats is allowed (1 + companions at most). */
export function seatsAllowed(seats: number, companionsAllowed: number): boolean {
  return Number.isInteger(seats) && seats >= 1 && seats <= 1 + Math.max(0, companionsAllowed);
}

// ---- When invitees may answer --------------------------------------------------------------------

export type RsvpClosedReason = "event_not_published" | "event_cancelled" | "event_done" | "event_over" | "deadline_passed";

export interface RsvpEventState {
  status: EventStatus;
  startsAt: Date;
  endsAt: Date;
  rsvpDeadline: Date | null;
}

export interface RsvpWindow {
  /** Attend, decline or change seats. */
  canAnswer: boolean;
  /** Give up a seat or a waitlist place. */
  canCancel: boolean;
  /** Why answering is closed; null while it is open. */
  reason: RsvpClosedReason | null;
}

/**
 * Answers are open on a published event until the deadline (or, without one, the start), the
 * deadline instant itself being closed. Cancelling stays allowed after the deadline until the event
 * has ended or is done; a draft has no invitees yet and a cancelled event has nothing left to cancel.
 */
export function rsvpAllowed(event: RsvpEventState, now: Date): RsvpWindow {
  const closed = (reason: RsvpClosedReason, canCancel: boolean): RsvpWindow => ({ canAnswer: false, canCancel, reason });
  const t = now.getTime();
  if (event.status === "draft") return closed("event_not_published", false);
  if (event.status === "cancelled") return closed("event_cancelled", false);
  if (event.status === "done") return closed("event_done", false);
  if (t >= event.endsAt.getTime()) return closed("event_over", false);
  const deadline = event.rsvpDeadline ?? event.startsAt;
  if (t >= deadline.getTime()) return closed("deadline_passed", true);
  return { canAnswer: true, canCancel: true, reason: null };
}

// ---- Tickets -------------------------------------------------------------------------------------

export const TICKET_MIN_BYTES = 16;
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** A ticket code: the bytes (at least 16, 128 bits) in base64url without padding; 16 bytes give 22 characters. */
export function ticketCodeFrom(bytes: Uint8Array): string {
  if (bytes.length < TICKET_MIN_BYTES) throw new RangeError(`a ticket code needs at least ${TICKET_MIN_BYTES} random bytes`);
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += BASE64URL[(n >> 18) & 63]! + BASE64URL[(n >> 12) & 63]! + BASE64URL[(n >> 6) & 63]! + BASE64URL[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += BASE64URL[(n >> 18) & 63]! + BASE64URL[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += BASE64URL[(n >> 18) & 63]! + BASE64URL[(n >> 12) & 63]! + BASE64URL[(n >> 6) & 63]!;
  }
  return out;
}

/** Whether a scanned or typed string has a ticket code's shape (checked before any lookup). */
export function isTicketCode(code: string): boolean {
  return /^[A-Za-z0-9_-]{22,128}$/.test(code);
}

/**
 * Where a new answer lands under the strict rule: a seat when nobody is waiting and its seats fit in
 * what remains, else the end of the waitlist. `seatsHeld` is the sum of confirmed seats.
 */
export function placeAnswer(capacity: number, seatsHeld: number, waiting: number, seats: number): "confirmed" | "waitlisted" {
  return waiting === 0 && seatsHeld + seats <= capacity ? "confirmed" : "waitlisted";
}

/**
 * A confirmed attendee asking for more seats gets them only when they fit and nobody is waiting (the
 * extra seats would otherwise pass the waitlist); fewer seats are always fine.
 */
export function canChangeSeats(capacity: number, seatsHeld: number, waiting: number, from: number, to: number): boolean {
  if (to <= from) return true;
  return waiting === 0 && seatsHeld - from + to <= capacity;
}

// ---- Stakeholders --------------------------------------------------------------------------------

export const stakeholderKinds = ["employee", "franchisee", "supplier", "partner"] as const;
export type StakeholderKind = (typeof stakeholderKinds)[number];

/** The words a CSV may use for the type, in either language. */
const KIND_WORDS: Record<string, StakeholderKind> = {
  employee: "employee",
  staff: "employee",
  従業員: "employee",
  社員: "employee",
  スタッフ: "employee",
  franchisee: "franchisee",
  franchise: "franchisee",
  フランチャイジー: "franchisee",
  加盟店: "franchisee",
  supplier: "supplier",
  仕入先: "supplier",
  取引先: "supplier",
  サプライヤー: "supplier",
  partner: "partner",
  パートナー: "partner",
  協力会社: "partner",
};

export function stakeholderKindOf(word: string): StakeholderKind | null {
  return KIND_WORDS[word.trim().toLowerCase()] ?? KIND_WORDS[word.trim()] ?? null;
}

export interface StakeholderInput {
  name: string;
  email: string;
  kind: string;
  organisation?: string | null;
  role?: string | null;
  locale?: string | null;
}

export interface Stakeholder {
  name: string;
  email: string;
  kind: StakeholderKind;
  organisation: string | null;
  role: string | null;
  locale: "ja" | "en";
}

export type StakeholderField = "name" | "email" | "kind" | "organisation" | "role" | "locale";
export type StakeholderProblem = "required" | "invalid_email" | "unknown_kind" | "too_long" | "unknown_locale" | "duplicate_email";

export interface StakeholderIssue {
  /** 1-based row of the input (the CSV's data rows, after its header). */
  row: number;
  field: StakeholderField;
  problem: StakeholderProblem;
}

const MAX_TEXT = 200;

/**
 * Stakeholder rows checked together: every problem with its row and field, or the clean rows. An
 * address repeated in the input is a problem on its second row (the first is kept).
 */
export function checkStakeholders(
  rows: readonly StakeholderInput[],
  isEmail: (value: string) => boolean,
): { ok: true; stakeholders: Stakeholder[] } | { ok: false; issues: StakeholderIssue[] } {
  const issues: StakeholderIssue[] = [];
  const out: Stakeholder[] = [];
  const seen = new Set<string>();
  rows.forEach((input, index) => {
    const row = index + 1;
    const add = (field: StakeholderField, problem: StakeholderProblem) => issues.push({ row, field, problem });
    const name = (input.name ?? "").trim();
    const email = (input.email ?? "").trim();
    const organisation = (input.organisation ?? "").trim() || null;
    const role = (input.role ?? "").trim() || null;
    const localeWord = (input.locale ?? "").trim().toLowerCase();
    if (name === "") add("name", "required");
    else if (name.length > MAX_TEXT) add("name", "too_long");
    if (email === "") add("email", "required");
    else if (!isEmail(email)) add("email", "invalid_email");
    else if (seen.has(email.toLowerCase())) add("email", "duplicate_email");
    const kind = (input.kind ?? "").trim() === "" ? null : stakeholderKindOf(input.kind);
    if ((input.kind ?? "").trim() === "") add("kind", "required");
    else if (!kind) add("kind", "unknown_kind");
    if (organisation && organisation.length > MAX_TEXT) add("organisation", "too_long");
    if (role && role.length > MAX_TEXT) add("role", "too_long");
    const locale = localeWord === "" || localeWord === "ja" || localeWord === "日本語" ? "ja" : localeWord === "en" || localeWord === "english" || localeWord === "英語" ? "en" : null;
    if (!locale) add("locale", "unknown_locale");
    if (email !== "") seen.add(email.toLowerCase());
    if (kind && locale && name && email) out.push({ name, email, kind, organisation, role, locale });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, stakeholders: out };
}
