// The programme's rules (issue 17): every move of the lifecycle from every state, written out by hand
// (not computed from the implementation); acceptance at and after expiry; certificate status edges;
// points rules; the reminder; the code formats.
import { describe, expect, it } from "vitest";
import {
  certificateCodeFrom,
  certificateStatus,
  checkInvitationInput,
  checkPointsRules,
  CODE_ALPHABET,
  defaultPointsRules,
  isCertificateCode,
  isReferralCode,
  normaliseReferralCode,
  programmeEvents,
  programmeStates,
  referralCodeFrom,
  reminderDueAt,
  transition,
  type ProgrammeEvent,
  type ProgrammeState,
} from "~/domain/programme";

const now = new Date("2026-12-03T12:00:00Z");
const later = new Date("2026-12-10T12:00:00Z");

// state → event → the next state, or the refusal's key ("!key").
const expected: Record<ProgrammeState, Record<ProgrammeEvent, string>> = {
  candidate: { invite: "invited", accept: "!not_invited", decline: "!not_invited", expire: "!not_invited", withdraw: "!not_invited", pause: "!not_member", resume: "!not_member", leave: "!not_member" },
  invited: { invite: "!already_invited", accept: "active", decline: "declined", expire: "expired", withdraw: "withdrawn", pause: "!not_member", resume: "!not_member", leave: "!not_member" },
  accepted: { invite: "!already_member", accept: "!already_accepted", decline: "!already_accepted", expire: "!already_accepted", withdraw: "!already_accepted", pause: "!not_member", resume: "!not_member", leave: "!not_member" },
  declined: { invite: "invited", accept: "!already_declined", decline: "!already_declined", expire: "!already_declined", withdraw: "!already_declined", pause: "!not_member", resume: "!not_member", leave: "!not_member" },
  expired: { invite: "invited", accept: "!invitation_expired", decline: "!invitation_expired", expire: "!invitation_expired", withdraw: "!invitation_expired", pause: "!not_member", resume: "!not_member", leave: "!not_member" },
  withdrawn: { invite: "invited", accept: "!invitation_withdrawn", decline: "!invitation_withdrawn", expire: "!invitation_withdrawn", withdraw: "!invitation_withdrawn", pause: "!not_member", resume: "!not_member", leave: "!not_member" },
  active: { invite: "!already_member", accept: "!already_accepted", decline: "!already_accepted", expire: "!already_accepted", withdraw: "!already_accepted", pause: "paused", resume: "!already_active", leave: "alumni" },
  paused: { invite: "!already_member", accept: "!already_accepted", decline: "!already_accepted", expire: "!already_accepted", withdraw: "!already_accepted", pause: "!already_paused", resume: "active", leave: "alumni" },
  alumni: { invite: "!already_member", accept: "!already_accepted", decline: "!already_accepted", expire: "!already_accepted", withdraw: "!already_accepted", pause: "!already_alumni", resume: "!already_alumni", leave: "!already_alumni" },
};

describe("the programme's lifecycle", () => {
  for (const state of programmeStates) {
    for (const event of programmeEvents) {
      const want = expected[state][event];
      it(`${state} + ${event} → ${want}`, () => {
        const result = transition(state, event, { now, expiresAt: later });
        expect(result.ok ? result.state : `!${result.error}`).toBe(want);
      });
    }
  }

  it("accepting creates the member, issues the certificate and welcomes; leaving revokes and signs out", () => {
    expect(transition("invited", "accept", { now, expiresAt: later })).toEqual({ ok: true, state: "active", effects: ["create_member", "issue_certificate", "send_welcome"] });
    expect(transition("paused", "leave", { now })).toEqual({ ok: true, state: "alumni", effects: ["revoke_certificate", "end_sessions"] });
    expect(transition("candidate", "invite", { now })).toEqual({ ok: true, state: "invited", effects: ["send_invitation"] });
  });

  it("refuses an acceptance at or after the expiry, even before the expiry job ran", () => {
    expect(transition("invited", "accept", { now, expiresAt: new Date(now.getTime() + 1) }).ok).toBe(true);
    expect(transition("invited", "accept", { now, expiresAt: now })).toEqual({ ok: false, error: "invitation_expired" });
    expect(transition("invited", "decline", { now, expiresAt: new Date(now.getTime() - 1) })).toEqual({ ok: false, error: "invitation_expired" });
  });
});

describe("certificates, points, invitations, codes", () => {
  const issuedAt = new Date("2025-01-01T00:00:00Z");
  it("says valid, expired from the expiry on, and revoked over both", () => {
    expect(certificateStatus({ issuedAt, expiresAt: later, revokedAt: null }, now)).toBe("valid");
    expect(certificateStatus({ issuedAt, expiresAt: null, revokedAt: null }, now)).toBe("valid");
    expect(certificateStatus({ issuedAt, expiresAt: now, revokedAt: null }, now)).toBe("expired");
    expect(certificateStatus({ issuedAt, expiresAt: new Date("2026-01-01T00:00:00Z"), revokedAt: new Date("2026-06-01T00:00:00Z") }, now)).toBe("revoked");
  });

  it("takes whole, non-negative points up to 100,000", () => {
    expect(checkPointsRules(defaultPointsRules)).toEqual([]);
    expect(checkPointsRules({ ...defaultPointsRules, manual: -1, cocreation: 1.5, event_attended: 100_001 })).toEqual([
      { field: "event_attended", problem: "points_range" },
      { field: "cocreation", problem: "points_range" },
      { field: "manual", problem: "points_range" },
    ]);
  });

  it("checks the invitation's window and message, and reminds once before expiry", () => {
    expect(checkInvitationInput({ expiresInDays: 14, message: "" })).toEqual([]);
    expect(checkInvitationInput({ expiresInDays: 0, message: "x".repeat(1001) })).toEqual([
      { field: "expiresInDays", problem: "expiryRange" },
      { field: "message", problem: "messageLength" },
    ]);
    expect(checkInvitationInput({ expiresInDays: 91, message: "" })).toHaveLength(1);
    const sent = new Date("2026-12-01T00:00:00Z");
    expect(reminderDueAt(sent, new Date("2026-12-15T00:00:00Z")).toISOString()).toBe("2026-12-12T00:00:00.000Z");
    expect(reminderDueAt(sent, new Date("2026-12-07T00:00:00Z")).toISOString()).toBe("2026-12-04T00:00:00.000Z");
    expect(reminderDueAt(sent, new Date("2026-12-03T00:00:00Z")).toISOString()).toBe("2026-12-02T00:00:00.000Z");
  });

  it("makes referral codes of 8 unambiguous characters and certificate codes of 80 bits", () => {
    const bytes = Uint8Array.from({ length: 10 }, (_, i) => (i * 37 + 11) & 255);
    const code = referralCodeFrom(bytes);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect([...code].every((c) => CODE_ALPHABET.includes(c))).toBe(true);
    expect(isReferralCode(`${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`)).toBe(true);
    expect(normaliseReferralCode(` ${code.toLowerCase()} `)).toBe(code);
    expect(isReferralCode("ILOU1234")).toBe(false);
    const cert = certificateCodeFrom(bytes);
    expect(isCertificateCode(cert)).toBe(true);
    expect(cert.replace(/^AMB-|-/g, "")).toHaveLength(16); // 16 × 5 = 80 bits
    expect(certificateCodeFrom(bytes.map((b) => b ^ 1))).not.toBe(cert);
    expect(() => certificateCodeFrom(new Uint8Array(9))).toThrow();
  });
});

describe("the programme's settings form", () => {
  it("saves whole, in-range values and refuses the others naming the field", async () => {
    const { programmeFields, programmeSettingsSchema } = await import("~/schemas/programme");
    const { defaultProgrammeSettings } = await import("~/domain/programme-settings");
    const fields = programmeFields(defaultProgrammeSettings);
    const good = programmeSettingsSchema.safeParse({ ...fields, p_manual: "25", certificateMonths: "0" });
    expect(good.success && good.data.points.manual).toBe(25);
    expect(good.success && good.data.certificateMonths).toBe(0);
    const bad = programmeSettingsSchema.safeParse({ ...fields, p_manual: "-5", invitationDays: "120", name_en: "", terms_ja: "" });
    expect(bad.success).toBe(false);
    const issues = bad.success ? [] : bad.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).sort();
    expect(issues).toEqual([
      "invitationDays: programme.errors.days_range",
      "name_en: programme.errors.name_length",
      "p_manual: programme.errors.points_range",
      "terms_ja: programme.errors.terms_length",
    ]);
  });
});
