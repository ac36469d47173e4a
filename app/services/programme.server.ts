// The ambassador programme's use cases (DESIGN §5, issue 17): invite, accept or decline, remind and
// expire, revoke and reissue certificates, pause, resume and leave, activity and referral credit, and the
// member area's sign-in. Each runs in one transaction: the domain's state machine decides on the rows read
// FOR UPDATE, the change and its emails (the outbox) commit together, and a refusal changes nothing.
import crypto from "node:crypto";
import type { Db } from "../../db/client.server";
import { getDb } from "../../db/client.server";
import { quadrantOf, type Quadrant } from "~/domain/loyalty";
import {
  certificateCodeFrom,
  certificateStatus,
  checkInvitationInput,
  pointsFor,
  referralCodeFrom,
  reminderDueAt,
  transition,
  type ProgrammeEvent,
  type ProgrammeState,
} from "~/domain/programme";
import type { ProgrammeSettings } from "~/domain/programme-settings";
import { getLoyaltySummary } from "~/models/dashboard.server";
import { getLoyaltySettings } from "~/models/loyalty.server";
import {
  createMemberSession,
  consumeSignInLink,
  createSignInLink,
  deleteMemberSessions,
  memberForSignIn,
  SIGN_IN_LINK_MINUTES,
} from "~/models/member-auth.server";
import { enqueueEmails, type OutgoingEmail } from "~/models/outbox.server";
import {
  activityOf,
  addActivity,
  certificateByCode,
  certificatesOf,
  creditReferralPurchases,
  customerSummary,
  expireInvitations,
  funnelCounts,
  getProgrammeSettings,
  insertCertificate,
  insertInvitations,
  insertMember,
  customerLocale,
  invitationById,
  invitationByTokenHash,
  invitationsOf,
  invitationsToRemind,
  latestPsychScores,
  invitees,
  markInvitationReminded,
  memberByCustomer,
  memberById,
  memberCounts,
  referralStats,
  revokeCurrentCertificate,
  setInvitationStatus,
  setMemberStatus,
  type ActivityKind,
  type CertificateRow,
  type InvitationRow,
  type MemberRow,
} from "~/models/programme.server";
import { getBrandSettings } from "~/models/settings.server";
import { hashToken, newToken } from "~/utils/crypto.server";
import { publicUrl } from "~/utils/unsubscribe.server";
import { issueCredentialJwt, verifyCredentialJwt } from "./certificates/credential.server";
import { publicJwks } from "./certificates/keys.server";

/** A refusal the page shows in the user's language: `key` is a message key under `programme.errors`. */
export class ProgrammeError extends Error {
  constructor(
    readonly key: string,
    readonly status = 409,
  ) {
    super(key);
  }
}

type Locale = "ja" | "en";
const localeOf = (l: string | null | undefined): Locale => (l === "en" ? "en" : "ja");

/** The state machine's verdict, or a ProgrammeError with its reason (nothing has been written yet). */
function decide(state: ProgrammeState, event: ProgrammeEvent, context: Parameters<typeof transition>[2]) {
  const result = transition(state, event, context);
  if (!result.ok) throw new ProgrammeError(result.error);
  return result;
}

/** The lifecycle state of an invitation and its customer's membership, as the state machine sees it. */
function stateOf(invitation: InvitationRow | null, member: MemberRow | null): ProgrammeState {
  if (member) return member.status === "active" ? "active" : member.status === "paused" ? "paused" : "alumni";
  if (!invitation) return "candidate";
  return invitation.status === "invited" ? "invited" : invitation.status;
}

// ---- Invitations ---------------------------------------------------------------------------------

export interface InviteResult {
  invited: number;
  skipped: { no_consent: number; member: number; invited: number };
}

/** What an invitation to these customers would do (the confirmation before sending). */
export async function previewInvitations(customerIds: number[], db: Db = getDb()) {
  const people = await invitees(customerIds, db);
  const skipped = { no_consent: 0, member: 0, invited: 0 };
  let invitable = 0;
  for (const p of people) {
    if (p.member) skipped.member++;
    else if (p.invited) skipped.invited++;
    else if (!p.reachable) skipped.no_consent++;
    else invitable++;
  }
  return { invitable, skipped };
}

/**
 * Invites customers: each gets a personal link (/join/<token>, 256 bits, stored as a hash) through the
 * outbox, in one transaction. Members, holders of an open invitation and the unreachable are skipped
 * and counted; a customer invited twice at once gets one invitation (the partial unique index).
 */
export async function inviteToProgramme(
  input: { customerIds: number[]; message: string | null; expiresInDays: number; staffUserId: number | null },
  db: Db = getDb(),
): Promise<InviteResult> {
  const problems = checkInvitationInput({ expiresInDays: input.expiresInDays, message: input.message ?? "" });
  if (problems.length > 0) throw new ProgrammeError(problems[0]!.problem, 400);
  const settings = await getProgrammeSettings(db);
  const loyalty = await getLoyaltySettings(db);
  return db.transaction(async (tx) => {
    const people = await invitees(input.customerIds, tx);
    const scores = await latestPsychScores(people.map((p) => p.customerId), tx);
    const skipped = { no_consent: 0, member: 0, invited: 0 };
    const chosen = people.filter((p) => {
      const state = p.member ? "active" : p.invited ? "invited" : "candidate";
      if (!transition(state, "invite", { now: new Date() }).ok) {
        skipped[p.member ? "member" : "invited"]++;
        return false;
      }
      if (!p.reachable) {
        skipped.no_consent++;
        return false;
      }
      return true;
    });
    const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
    const tokens = new Map(chosen.map((p) => [p.customerId, newToken()]));
    const quadrant = (customerId: number, segment: (typeof people)[number]["cpmSegment"]): Quadrant | null => {
      const score = scores.get(customerId);
      return score === undefined || score === null ? null : quadrantOf(segment, score, loyalty.borders);
    };
    const created = await insertInvitations(
      chosen.map((p) => ({
        customerId: p.customerId,
        tokenHash: hashToken(tokens.get(p.customerId)!),
        message: input.message?.trim() || null,
        locale: localeOf(p.locale),
        expiresAt,
        cpmSegment: p.cpmSegment,
        quadrant: quadrant(p.customerId, p.cpmSegment),
        staffUserId: input.staffUserId,
      })),
      tx,
    );
    skipped.invited += chosen.length - created.length;
    const byCustomer = new Map(people.map((p) => [p.customerId, p]));
    const emails: OutgoingEmail[] = created.map((inv) => {
      const p = byCustomer.get(inv.customerId)!;
      const locale = localeOf(p.locale);
      return {
        template: "ambassador-invitation",
        idempotencyKey: `ambassador-invitation:${inv.id}`,
        to: p.email!,
        customerId: p.customerId,
        locale,
        data: {
          customerName: p.name,
          programmeName: settings.name[locale],
          acceptUrl: publicUrl(`join/${tokens.get(p.customerId)}`),
          expiresAt: expiresAt.toISOString(),
          personalMessage: input.message?.trim() || null,
          reminder: false,
        },
      };
    });
    await enqueueEmails(emails, tx);
    return { invited: created.length, skipped };
  });
}

/** The invitation page's data: null for an unknown token (the page answers 404). */
export async function invitationForPage(token: string, db: Db = getDb()) {
  const row = await invitationByTokenHash(hashToken(token), db);
  if (!row) return null;
  const member = await memberByCustomer(row.invitation.customerId, db);
  const state = stateOf(row.invitation, member);
  const expired = state === "invited" && row.invitation.expiresAt.getTime() <= Date.now();
  return { invitation: row.invitation, customerName: row.customerName, state: expired ? ("expired" as const) : state, member };
}

/**
 * Accepts an invitation: the member, their referral code and certificate, and the welcome email, in one
 * transaction with the invitation locked; a second acceptance (another tab) finds it accepted and is
 * refused, as are an expired, declined or withdrawn invitation.
 */
export async function acceptInvitation(token: string, input: { displayName: string; contactConsent: boolean }, db: Db = getDb()) {
  const settings = await getProgrammeSettings(db);
  return db.transaction(async (tx) => {
    const row = await invitationByTokenHash(hashToken(token), tx, { lock: true });
    if (!row) throw new ProgrammeError("not_found", 404);
    const existing = await memberByCustomer(row.invitation.customerId, tx);
    const now = new Date();
    decide(stateOf(row.invitation, existing), "accept", { now, expiresAt: row.invitation.expiresAt });
    const locale = localeOf(row.invitation.locale);
    await setInvitationStatus(row.invitation.id, "accepted", tx);
    const member = await insertMember(
      {
        customerId: row.invitation.customerId,
        invitationId: row.invitation.id,
        displayName: input.displayName.trim(),
        contactConsent: input.contactConsent,
        status: "active",
        referralCode: referralCodeFrom(crypto.randomBytes(8)),
      },
      tx,
    );
    const certificate = await issueCertificate(member, settings, locale, tx);
    await enqueueEmails(
      [
        {
          template: "welcome-certificate",
          idempotencyKey: `welcome-certificate:${member.id}`,
          to: row.customerEmail!,
          customerId: member.customerId,
          locale,
          data: {
            customerName: row.customerName,
            programmeName: settings.name[locale],
            memberNumber: member.referralCode,
            memberSince: now.toISOString().slice(0, 10),
            memberUrl: publicUrl("m"),
            certificateUrl: publicUrl(`verify/${certificate.code}`),
          },
        },
      ],
      tx,
    );
    return { member, certificate };
  });
}

export async function declineInvitation(token: string, db: Db = getDb()) {
  return db.transaction(async (tx) => {
    const row = await invitationByTokenHash(hashToken(token), tx, { lock: true });
    if (!row) throw new ProgrammeError("not_found", 404);
    const member = await memberByCustomer(row.invitation.customerId, tx);
    decide(stateOf(row.invitation, member), "decline", { now: new Date(), expiresAt: row.invitation.expiresAt });
    await setInvitationStatus(row.invitation.id, "declined", tx);
  });
}

/** Staff take back an open invitation: its link stops working. */
export async function withdrawInvitation(invitationId: number, db: Db = getDb()) {
  return db.transaction(async (tx) => {
    const invitation = await invitationById(invitationId, tx, { lock: true });
    if (!invitation) throw new ProgrammeError("not_found", 404);
    decide(stateOf(invitation, null), "withdraw", { now: new Date(), expiresAt: invitation.expiresAt });
    await setInvitationStatus(invitationId, "withdrawn", tx);
  });
}

/**
 * The hourly job: open invitations past their expiry become expired, and each open invitation gets its
 * one reminder when due (reminderDueAt), with a second personal link. Returns the counts.
 */
export async function remindAndExpireInvitations(db: Db = getDb()) {
  const expired = await expireInvitations(db);
  const settings = await getProgrammeSettings(db);
  const now = new Date();
  let reminded = 0;
  for (const inv of await invitationsToRemind(db)) {
    if (reminderDueAt(inv.sentAt, inv.expiresAt).getTime() > now.getTime() || !inv.email) continue;
    const token = newToken();
    const locale = localeOf(inv.locale);
    const sent = await db.transaction(async (tx) => {
      if (!(await markInvitationReminded(inv.id, hashToken(token), tx))) return false;
      await enqueueEmails(
        [
          {
            template: "ambassador-invitation",
            idempotencyKey: `ambassador-invitation-reminder:${inv.id}`,
            to: inv.email!,
            customerId: inv.customerId,
            locale,
            data: {
              customerName: inv.name,
              programmeName: settings.name[locale],
              acceptUrl: publicUrl(`join/${token}`),
              expiresAt: inv.expiresAt.toISOString(),
              personalMessage: inv.message,
              reminder: true,
            },
          },
        ],
        tx,
      );
      return true;
    });
    if (sent) reminded++;
  }
  return { expired, reminded };
}

// ---- Certificates --------------------------------------------------------------------------------

async function issueCertificate(member: MemberRow, settings: ProgrammeSettings, locale: Locale, db: Db): Promise<CertificateRow> {
  const issuedAt = new Date();
  const expiresAt = settings.certificateMonths > 0 ? addMonths(issuedAt, settings.certificateMonths) : null;
  return insertCertificate(
    {
      memberId: member.id,
      code: certificateCodeFrom(crypto.randomBytes(12)),
      displayName: member.displayName,
      programmeName: settings.name[locale],
      issuedAt,
      expiresAt,
    },
    db,
  );
}

function addMonths(date: Date, months: number) {
  const d = new Date(date);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

export async function revokeCertificate(memberId: number, reason: string, staffUserId: number | null, db: Db = getDb()) {
  if (reason.trim() === "") throw new ProgrammeError("reason_required", 400);
  return db.transaction(async (tx) => {
    const member = await memberById(memberId, tx, { lock: true });
    if (!member) throw new ProgrammeError("not_found", 404);
    const revoked = await revokeCurrentCertificate(memberId, reason.trim(), staffUserId, tx);
    if (!revoked) throw new ProgrammeError("no_certificate");
    return revoked;
  });
}

/** A new certificate for an active or paused member (after a revocation, a name change or its expiry); the one in force, if any, is revoked. */
export async function reissueCertificate(memberId: number, staffUserId: number | null, db: Db = getDb()) {
  const settings = await getProgrammeSettings(db);
  return db.transaction(async (tx) => {
    const member = await memberById(memberId, tx, { lock: true });
    if (!member) throw new ProgrammeError("not_found", 404);
    if (member.status === "alumni") throw new ProgrammeError("alumni_no_certificate");
    await revokeCurrentCertificate(memberId, "reissued", staffUserId, tx);
    return issueCertificate(member, settings, localeOf(await customerLocale(member.customerId, tx)), tx);
  });
}

/** The public verification page's answer: status from the dates, never private data. */
export async function verifyCertificate(code: string, db: Db = getDb()) {
  const cert = await certificateByCode(code, db);
  if (!cert) return null;
  return { certificate: cert, status: certificateStatus({ issuedAt: cert.issuedAt, expiresAt: cert.expiresAt, revokedAt: cert.revokedAt }, new Date()) };
}

/** The certificate's signed credential (Open Badges 3.0 as a VC-JWT), or null for an unknown code. */
export async function credentialOf(code: string, db: Db = getDb()) {
  const cert = await certificateByCode(code, db);
  if (!cert) return null;
  const brand = await getBrandSettings(db);
  return issueCredentialJwt(
    { code: cert.code, displayName: cert.displayName, programmeName: cert.programmeName, issuedAt: cert.issuedAt, expiresAt: cert.expiresAt, issuerName: brand.brandName },
    { baseUrl: publicUrl("").replace(/\/$/, "") },
  );
}

/**
 * A pasted credential: its signature checked with the issuer's public keys alone, then its
 * certificate's status asked of the database (a genuine credential of a revoked certificate verifies).
 */
export async function checkPastedCredential(jwt: string, db: Db = getDb()) {
  const verified = await verifyCredentialJwt(jwt, await publicJwks());
  if (!verified.ok) return { ok: false as const, reason: verified.reason };
  const found = await verifyCertificate(verified.code, db);
  return {
    ok: true as const,
    code: found ? verified.code : null,
    status: found?.status ?? null,
    programme: found?.certificate.programmeName ?? "",
    displayName: found?.certificate.displayName ?? "",
  };
}

// ---- Member lifecycle ----------------------------------------------------------------------------

/**
 * Pause, resume or leave (alumni): by staff, or leave by the member. Leaving revokes the certificate in
 * force and ends the member's sessions.
 */
export async function changeMemberStatus(memberId: number, event: "pause" | "resume" | "leave", staffUserId: number | null, db: Db = getDb()) {
  return db.transaction(async (tx) => {
    const member = await memberById(memberId, tx, { lock: true });
    if (!member) throw new ProgrammeError("not_found", 404);
    const result = decide(stateOf(null, member), event, { now: new Date() });
    const status = result.state as MemberRow["status"];
    await setMemberStatus(memberId, status, tx);
    if (status === "alumni") {
      await revokeCurrentCertificate(memberId, "left the programme", staffUserId, tx);
      await deleteMemberSessions(memberId, tx);
    }
    return status;
  });
}

// ---- Activity ------------------------------------------------------------------------------------

/** Staff add activity by hand (points of the manual rule unless given); `formId` makes a retried submit credit once. */
export async function addManualActivity(
  input: { memberId: number; note: string; points?: number; formId: string; staffUserId: number | null },
  db: Db = getDb(),
) {
  if (input.note.trim() === "") throw new ProgrammeError("note_required", 400);
  const settings = await getProgrammeSettings(db);
  const points = input.points ?? pointsFor("manual", settings.points);
  if (!Number.isInteger(points) || points < 0 || points > 100_000) throw new ProgrammeError("points_range", 400);
  return db.transaction(async (tx) => {
    const member = await memberById(input.memberId, tx, { lock: true });
    if (!member) throw new ProgrammeError("not_found", 404);
    return addActivity(
      { memberId: member.id, kind: "manual", points, note: input.note.trim(), sourceKey: `manual:${input.formId}`, staffUserId: input.staffUserId },
      tx,
    );
  });
}

/**
 * Activity worth the points its rule gives (an event attended, a survey answered, a co-creation
 * contribution), once per source key: recording it again changes nothing. Returns whether it was new.
 */
export async function recordActivity(
  input: { memberId: number; kind: Exclude<ActivityKind, "referral_purchase">; sourceKey: string; note?: string | null; occurredAt?: Date },
  db: Db = getDb(),
) {
  const settings = await getProgrammeSettings(db);
  return db.transaction((tx) => addActivity({ ...input, points: pointsFor(input.kind, settings.points) }, tx));
}

/** After an import: purchases with a member's referral code credit the member once each. */
export async function creditReferrals(db: Db = getDb()) {
  const settings = await getProgrammeSettings(db);
  return creditReferralPurchases(pointsFor("referral_purchase", settings.points), db);
}

// ---- Staff views ---------------------------------------------------------------------------------

export interface FunnelStep {
  key: "candidates" | "invited" | "accepted" | "active";
  n: number;
  /** Of the step before (null for the first, or when the step before is empty). */
  conversion: number | null;
}

/**
 * The programme's funnel: today's ambassador candidates, then everyone ever invited, those who
 * accepted and those active now; and the same per CPM segment and quadrant at invitation.
 */
export async function programmeOverview(db: Db = getDb()) {
  const [summary, rows, counts] = await Promise.all([getLoyaltySummary(db), funnelCounts(db), memberCounts(db)]);
  const sum = (key: "invited" | "accepted" | "active" | "declined" | "expired" | "open") => rows.reduce((n, r) => n + r[key], 0);
  const values = { candidates: summary.counts.candidates.ambassador, invited: sum("invited"), accepted: sum("accepted"), active: sum("active") };
  const keys = ["candidates", "invited", "accepted", "active"] as const;
  const steps: FunnelStep[] = keys.map((key, i) => {
    const before = i > 0 ? values[keys[i - 1]!] : 0;
    return { key, n: values[key], conversion: i > 0 && before > 0 ? values[key] / before : null };
  });
  const group = (by: "segment" | "quadrant") => {
    const map = new Map<string, { invited: number; accepted: number; active: number }>();
    for (const r of rows) {
      const k = r[by];
      const g = map.get(k) ?? { invited: 0, accepted: 0, active: 0 };
      g.invited += r.invited;
      g.accepted += r.accepted;
      g.active += r.active;
      map.set(k, g);
    }
    return [...map].map(([key, g]) => ({ key, ...g, rate: g.invited > 0 ? g.accepted / g.invited : null })).sort((a, b) => b.invited - a.invited);
  };
  return {
    steps,
    pending: { open: sum("open"), declined: sum("declined"), expired: sum("expired") },
    bySegment: group("segment"),
    byQuadrant: group("quadrant"),
    members: counts,
  };
}

/** The dashboard's funnel tile: the steps alone. */
export async function programmeFunnel(db: Db = getDb()) {
  return { steps: (await programmeOverview(db)).steps };
}

/** A member's whole record for staff: profile, customer, certificates, activity, referrals, invitations. */
export async function memberRecord(memberId: number, db: Db = getDb()) {
  const member = await memberById(memberId, db);
  if (!member) return null;
  const [certs, activity, stats, invitations, customer] = await Promise.all([
    certificatesOf(memberId, db),
    activityOf(memberId, db, 500),
    referralStats([memberId], db),
    invitationsOf(member.customerId, db),
    customerSummary(member.customerId, db),
  ]);
  const now = new Date();
  return {
    member,
    customer,
    certificates: certs.map((c) => ({ ...c, status: certificateStatus({ issuedAt: c.issuedAt, expiresAt: c.expiresAt, revokedAt: c.revokedAt }, now) })),
    activity,
    referrals: stats.get(memberId) ?? { referrals: 0, purchases: 0, revenue: 0 },
    invitations,
  };
}

// ---- The member area -----------------------------------------------------------------------------

/** Everything the member's own page shows, for the signed-in member only (the session gives the id). */
export async function memberHome(memberId: number, db: Db = getDb()) {
  const member = await memberById(memberId, db);
  if (!member) return null;
  const [certs, stats, activity] = await Promise.all([certificatesOf(memberId, db), referralStats([memberId], db), activityOf(memberId, db, 100)]);
  const current = certs.find((c) => c.revokedAt === null) ?? certs[0] ?? null;
  const now = new Date();
  return {
    member: { displayName: member.displayName, contactConsent: member.contactConsent, status: member.status, points: member.points, joinedAt: member.joinedAt.toISOString() },
    certificate: current
      ? {
          code: current.code,
          programme: current.programmeName,
          status: certificateStatus({ issuedAt: current.issuedAt, expiresAt: current.expiresAt, revokedAt: current.revokedAt }, now),
          issuedAt: current.issuedAt.toISOString(),
          expiresAt: current.expiresAt?.toISOString() ?? null,
          revokedAt: current.revokedAt?.toISOString() ?? null,
        }
      : null,
    referral: { code: member.referralCode, url: publicUrl(`r/${member.referralCode}`), ...(stats.get(memberId) ?? { referrals: 0, purchases: 0, revenue: 0 }) },
    activity: activity.map((a) => ({ id: a.id, kind: a.kind, points: a.points, note: a.note, occurredAt: a.occurredAt.toISOString() })),
  };
}

/** The member's current certificate as a printable PDF, or null when they have none. */
export async function certificatePdfOf(memberId: number, locale: Locale, db: Db = getDb()) {
  const certs = await certificatesOf(memberId, db);
  const cert = certs.find((c) => c.revokedAt === null) ?? certs[0];
  if (!cert) return null;
  const brand = await getBrandSettings(db);
  // Loaded on first use: the PDF library and its Japanese font are large, and most requests never need them.
  const { certificatePdf } = await import("./certificates/pdf.server");
  const pdf = await certificatePdf({
    code: cert.code,
    displayName: cert.displayName,
    programmeName: cert.programmeName,
    issuedAt: cert.issuedAt,
    expiresAt: cert.expiresAt,
    verifyUrl: publicUrl(`verify/${cert.code}`),
    locale,
    brandName: brand.brandName,
  });
  return { code: cert.code, pdf };
}

// ---- Member sign-in ------------------------------------------------------------------------------

/**
 * Sends a sign-in link when the address belongs to a member (not alumni) and the member is within the
 * rate limit. The caller answers the same whatever happened, so the form tells nobody who is a member.
 */
export async function requestSignInLink(email: string, db: Db = getDb()) {
  const member = await memberForSignIn(email.trim(), db);
  if (!member || !member.email) return;
  const token = newToken();
  await db.transaction(async (tx) => {
    if (!(await createSignInLink(member.id, hashToken(token), tx))) return;
    await enqueueEmails(
      [
        {
          template: "magic-link",
          idempotencyKey: `magic-link:${hashToken(token)}`,
          to: member.email!,
          customerId: null,
          locale: localeOf(member.locale),
          data: { signInUrl: publicUrl(`m/sign-in/${token}`), expiresInMinutes: SIGN_IN_LINK_MINUTES },
        },
      ],
      tx,
    );
  });
}

/** Uses a sign-in link once: a new session token for the cookie, or null (unknown, used or expired). */
export async function signInWithLink(token: string, db: Db = getDb()) {
  return db.transaction(async (tx) => {
    const memberId = await consumeSignInLink(hashToken(token), tx);
    if (memberId === null) return null;
    const session = newToken();
    await createMemberSession(memberId, hashToken(session), tx);
    return session;
  });
}

