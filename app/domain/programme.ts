// The ambassador programme's rules (DESIGN §5, issue 17), pure: the lifecycle as one state machine,
// certificate status from its dates, points rules, the invitation's reminder and input, and the
// formats of referral codes and certificate codes (made from random bytes the caller supplies).
//
// Lifecycle: candidate → invited → accepted | declined | expired (| withdrawn by staff)
//            accepted → active ⇄ paused → alumni
// Acceptance activates at once (the member, certificate and welcome email are one step), so "accepted"
// is where an invitation ends and "active" where the membership starts: accept moves invited → active.
// A declined, expired or withdrawn invitation may be followed by a new invitation; members never are.

export const programmeStates = ["candidate", "invited", "accepted", "declined", "expired", "withdrawn", "active", "paused", "alumni"] as const;
export type ProgrammeState = (typeof programmeStates)[number];

export const programmeEvents = ["invite", "accept", "decline", "expire", "withdraw", "pause", "resume", "leave"] as const;
export type ProgrammeEvent = (typeof programmeEvents)[number];

export type ProgrammeEffect = "send_invitation" | "create_member" | "issue_certificate" | "send_welcome" | "revoke_certificate" | "end_sessions";

export interface TransitionContext {
  now: Date;
  /** The invitation's expiry, for accept and decline: refused after it even before the hourly job ran. */
  expiresAt?: Date;
}

export type TransitionResult = { ok: true; state: ProgrammeState; effects: ProgrammeEffect[] } | { ok: false; error: ProgrammeErrorKey };

export type ProgrammeErrorKey =
  | "already_member"
  | "already_invited"
  | "already_accepted"
  | "already_declined"
  | "invitation_expired"
  | "invitation_withdrawn"
  | "not_invited"
  | "not_member"
  | "already_active"
  | "already_paused"
  | "already_alumni";

const isMember = (s: ProgrammeState) => s === "active" || s === "paused" || s === "alumni";

/** Why an invitation can no longer be answered, by its state. */
function closedInvitation(state: ProgrammeState): ProgrammeErrorKey | null {
  if (state === "accepted" || isMember(state)) return "already_accepted";
  if (state === "declined") return "already_declined";
  if (state === "expired") return "invitation_expired";
  if (state === "withdrawn") return "invitation_withdrawn";
  if (state === "candidate") return "not_invited";
  return null;
}

/** One move of the lifecycle: the next state and what the caller must do, or why it is refused. */
export function transition(state: ProgrammeState, event: ProgrammeEvent, context: TransitionContext): TransitionResult {
  const ok = (next: ProgrammeState, effects: ProgrammeEffect[] = []): TransitionResult => ({ ok: true, state: next, effects });
  const no = (error: ProgrammeErrorKey): TransitionResult => ({ ok: false, error });
  const lapsed = context.expiresAt !== undefined && context.expiresAt.getTime() <= context.now.getTime();
  switch (event) {
    case "invite":
      if (isMember(state) || state === "accepted") return no("already_member");
      if (state === "invited") return no("already_invited");
      return ok("invited", ["send_invitation"]);
    case "accept": {
      const closed = closedInvitation(state);
      if (closed) return no(closed);
      if (lapsed) return no("invitation_expired");
      return ok("active", ["create_member", "issue_certificate", "send_welcome"]);
    }
    case "decline": {
      const closed = closedInvitation(state);
      if (closed) return no(closed);
      if (lapsed) return no("invitation_expired");
      return ok("declined");
    }
    case "expire":
    case "withdraw": {
      const closed = closedInvitation(state);
      if (closed) return no(closed);
      return ok(event === "expire" ? "expired" : "withdrawn");
    }
    case "pause":
      if (state === "active") return ok("paused");
      if (state === "paused") return no("already_paused");
      return no(state === "alumni" ? "already_alumni" : "not_member");
    case "resume":
      if (state === "paused") return ok("active");
      if (state === "active") return no("already_active");
      return no(state === "alumni" ? "already_alumni" : "not_member");
    case "leave":
      if (state === "active" || state === "paused") return ok("alumni", ["revoke_certificate", "end_sessions"]);
      return no(state === "alumni" ? "already_alumni" : "not_member");
  }
}

// ---- Certificates --------------------------------------------------------------------------------

export type CertificateStatus = "valid" | "expired" | "revoked";

/** Revoked wins; expired from its expiry on (an expiry exactly now has passed); otherwise valid. */
export function certificateStatus(c: { issuedAt: Date; expiresAt: Date | null; revokedAt: Date | null }, now: Date): CertificateStatus {
  if (c.revokedAt !== null && c.revokedAt.getTime() <= now.getTime()) return "revoked";
  if (c.expiresAt !== null && c.expiresAt.getTime() <= now.getTime()) return "expired";
  return "valid";
}

// ---- Points --------------------------------------------------------------------------------------

export const pointKinds = ["referral_purchase", "event_attended", "survey_answered", "cocreation", "manual"] as const;
export type PointKind = (typeof pointKinds)[number];
export type PointsRules = Record<PointKind, number>;

export const defaultPointsRules: PointsRules = { referral_purchase: 50, event_attended: 100, survey_answered: 20, cocreation: 150, manual: 10 };

export const MAX_POINTS = 100_000;

/** Each rule a whole number of points from 0 to MAX_POINTS. */
export function checkPointsRules(rules: PointsRules): { field: string; problem: string }[] {
  return pointKinds.filter((k) => !Number.isInteger(rules[k]) || rules[k] < 0 || rules[k] > MAX_POINTS).map((field) => ({ field, problem: "points_range" }));
}

export function pointsFor(kind: PointKind, rules: PointsRules): number {
  return rules[kind];
}

// ---- Invitations ---------------------------------------------------------------------------------

export const INVITATION_DAYS = { min: 1, max: 90 } as const;
export const MESSAGE_MAX = 1000;

export function checkInvitationInput(input: { expiresInDays: number; message: string }): { field: string; problem: string }[] {
  const problems: { field: string; problem: string }[] = [];
  if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < INVITATION_DAYS.min || input.expiresInDays > INVITATION_DAYS.max) {
    problems.push({ field: "expiresInDays", problem: "expiryRange" });
  }
  if (input.message.length > MESSAGE_MAX) problems.push({ field: "message", problem: "messageLength" });
  return problems;
}

const DAY = 86_400_000;

/**
 * The one reminder: three days before expiry, or half-way through a window of six days or less (a
 * two-day invitation is reminded after a day, not before it is sent).
 */
export function reminderDueAt(sentAt: Date, expiresAt: Date): Date {
  const window = expiresAt.getTime() - sentAt.getTime();
  if (window <= 6 * DAY) return new Date(sentAt.getTime() + window / 2);
  return new Date(expiresAt.getTime() - 3 * DAY);
}

// ---- Codes ---------------------------------------------------------------------------------------

/** Crockford's base 32: no I, L, O or U, so a code read aloud or typed at a till is unambiguous. */
export const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function base32(bytes: Uint8Array, length: number): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += CODE_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (out.length < length) throw new Error(`${length} characters need ${Math.ceil((length * 5) / 8)} random bytes`);
  return out;
}

/** A referral code: 8 characters (40 bits) of the alphabet, stored and compared without hyphens. */
export function referralCodeFrom(bytes: Uint8Array): string {
  return base32(bytes, 8);
}

/** A code as typed (any case, hyphens or spaces) in its stored form. */
export function normaliseReferralCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, "");
}

export function isReferralCode(typed: string): boolean {
  const code = normaliseReferralCode(typed);
  return code.length === 8 && [...code].every((ch) => CODE_ALPHABET.includes(ch));
}

/**
 * A certificate's public code: `AMB-` and 16 characters in groups of four (80 random bits). The
 * verification page takes it from anyone, so it must not be guessable.
 */
export function certificateCodeFrom(bytes: Uint8Array): string {
  const body = base32(bytes, 16);
  return `AMB-${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8, 12)}-${body.slice(12, 16)}`;
}

export function isCertificateCode(code: string): boolean {
  return /^AMB-[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/.test(code);
}
