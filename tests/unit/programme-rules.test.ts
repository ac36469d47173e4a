// More of the programme's rules (issue 17), next to tests/unit/programme.test.ts: the effects of every
// legal move written out by hand, refusals that carry nothing else, expiry edges to the millisecond,
// certificate status edges, the reminder's boundary, the codes' alphabet and bits, and a message in both
// languages for every refusal and problem key the rules can return.
import { describe, expect, it } from "vitest";
import {
  CODE_ALPHABET,
  certificateCodeFrom,
  certificateStatus,
  checkInvitationInput,
  checkPointsRules,
  defaultPointsRules,
  isCertificateCode,
  isReferralCode,
  normaliseReferralCode,
  pointKinds,
  pointsFor,
  programmeEvents,
  programmeStates,
  referralCodeFrom,
  reminderDueAt,
  transition,
  type ProgrammeErrorKey,
  type ProgrammeEvent,
  type ProgrammeState,
} from "~/domain/programme";
import { programmeEn } from "~/locales/sections/programme.en";
import { programmeJa } from "~/locales/sections/programme.ja";

const now = new Date("2026-12-03T12:00:00Z");
const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);
const DAY = 86_400_000;

// Every legal move and its effects, by hand. Any pair not listed here must be refused.
const legal: Record<string, { state: ProgrammeState; effects: string[] }> = {
  "candidate invite": { state: "invited", effects: ["send_invitation"] },
  "declined invite": { state: "invited", effects: ["send_invitation"] },
  "expired invite": { state: "invited", effects: ["send_invitation"] },
  "withdrawn invite": { state: "invited", effects: ["send_invitation"] },
  "invited accept": { state: "active", effects: ["create_member", "issue_certificate", "send_welcome"] },
  "invited decline": { state: "declined", effects: [] },
  "invited expire": { state: "expired", effects: [] },
  "invited withdraw": { state: "withdrawn", effects: [] },
  "active pause": { state: "paused", effects: [] },
  "paused resume": { state: "active", effects: [] },
  "active leave": { state: "alumni", effects: ["revoke_certificate", "end_sessions"] },
  "paused leave": { state: "alumni", effects: ["revoke_certificate", "end_sessions"] },
};

describe("the lifecycle's effects and refusals", () => {
  const context = { now, expiresAt: ms(now, 7 * DAY) };

  it("has 9 states and 8 events (81 pairs), of which exactly the 12 listed are legal", () => {
    expect(programmeStates).toHaveLength(9);
    expect(programmeEvents).toHaveLength(8);
    const legalPairs = programmeStates.flatMap((s) => programmeEvents.filter((e) => transition(s, e, context).ok).map((e) => `${s} ${e}`));
    expect(legalPairs.sort()).toEqual(Object.keys(legal).sort());
  });

  for (const state of programmeStates) {
    for (const event of programmeEvents) {
      const want = legal[`${state} ${event}`];
      it(`${state} + ${event}: ${want ? `${want.state} [${want.effects.join(", ")}]` : "refused with nothing else"}`, () => {
        const result = transition(state, event, context);
        if (want) expect(result).toEqual({ ok: true, ...want });
        else expect(Object.keys(result).sort()).toEqual(["error", "ok"]);
      });
    }
  }

  it("never reaches 'accepted': acceptance activates at once", () => {
    for (const state of programmeStates) for (const event of programmeEvents) {
      const result = transition(state, event, context);
      if (result.ok) expect(result.state).not.toBe("accepted");
    }
  });

  it("refuses double acceptance (a second tab) whether the first left the member active, paused or gone", () => {
    for (const state of ["active", "paused", "alumni", "accepted"] as const) {
      expect(transition(state, "accept", context)).toEqual({ ok: false, error: "already_accepted" });
    }
  });

  it("refuses inviting a member in any membership state", () => {
    for (const state of ["active", "paused", "alumni", "accepted"] as const) {
      expect(transition(state, "invite", { now })).toEqual({ ok: false, error: "already_member" });
    }
  });

  it("accepts up to the millisecond before expiry, and refuses at and after it", () => {
    expect(transition("invited", "accept", { now, expiresAt: ms(now, 1) }).ok).toBe(true);
    expect(transition("invited", "accept", { now, expiresAt: now })).toEqual({ ok: false, error: "invitation_expired" });
    expect(transition("invited", "accept", { now, expiresAt: ms(now, -1) })).toEqual({ ok: false, error: "invitation_expired" });
    expect(transition("invited", "decline", { now, expiresAt: now })).toEqual({ ok: false, error: "invitation_expired" });
  });

  it("gives the state's reason before the clock's: a withdrawn or accepted invitation says so after its expiry too", () => {
    const lapsed = { now, expiresAt: ms(now, -DAY) };
    expect(transition("withdrawn", "accept", lapsed)).toEqual({ ok: false, error: "invitation_withdrawn" });
    expect(transition("active", "accept", lapsed)).toEqual({ ok: false, error: "already_accepted" });
    expect(transition("declined", "accept", lapsed)).toEqual({ ok: false, error: "already_declined" });
  });

  it("accepts without a known expiry (an invitation with no window)", () => {
    expect(transition("invited", "accept", { now }).ok).toBe(true);
  });
});

describe("certificate status edges", () => {
  const issuedAt = new Date("2025-01-01T00:00:00Z");
  it("is valid until the millisecond before expiry and expired from it", () => {
    expect(certificateStatus({ issuedAt, expiresAt: ms(now, 1), revokedAt: null }, now)).toBe("valid");
    expect(certificateStatus({ issuedAt, expiresAt: now, revokedAt: null }, now)).toBe("expired");
  });
  it("says revoked from the revocation on, over expiry", () => {
    expect(certificateStatus({ issuedAt, expiresAt: ms(now, -DAY), revokedAt: ms(now, -2 * DAY) }, now)).toBe("revoked");
    expect(certificateStatus({ issuedAt, expiresAt: ms(now, -2 * DAY), revokedAt: ms(now, -DAY) }, now)).toBe("revoked");
    expect(certificateStatus({ issuedAt, expiresAt: null, revokedAt: now }, now)).toBe("revoked");
  });
});

describe("points and invitation input", () => {
  it("gives each kind its rule's points", () => {
    const rules = { referral_purchase: 1, event_attended: 2, survey_answered: 3, cocreation: 4, manual: 5 };
    expect(pointKinds.map((k) => pointsFor(k, rules))).toEqual([1, 2, 3, 4, 5]);
  });
  it("takes 0 and 100,000 and refuses NaN, 100,001 and fractions", () => {
    expect(checkPointsRules({ ...defaultPointsRules, manual: 0, cocreation: 100_000 })).toEqual([]);
    expect(checkPointsRules({ ...defaultPointsRules, manual: Number.NaN })).toEqual([{ field: "manual", problem: "points_range" }]);
    expect(checkPointsRules({ ...defaultPointsRules, referral_purchase: 0.5 })).toEqual([{ field: "referral_purchase", problem: "points_range" }]);
  });
  it("takes 1 and 90 days and 1,000 characters; refuses 1.5 days", () => {
    expect(checkInvitationInput({ expiresInDays: 1, message: "x".repeat(1000) })).toEqual([]);
    expect(checkInvitationInput({ expiresInDays: 90, message: "" })).toEqual([]);
    expect(checkInvitationInput({ expiresInDays: 1.5, message: "" })).toEqual([{ field: "expiresInDays", problem: "expiryRange" }]);
  });
});

describe("the reminder", () => {
  const sent = new Date("2026-12-01T00:00:00Z");
  it("comes half-way through a window of six days or less, three days before expiry beyond it", () => {
    expect(reminderDueAt(sent, ms(sent, 6 * DAY))).toEqual(ms(sent, 3 * DAY));
    expect(reminderDueAt(sent, ms(sent, 6 * DAY + 1))).toEqual(ms(sent, 3 * DAY + 1));
    expect(reminderDueAt(sent, ms(sent, 90 * DAY))).toEqual(ms(sent, 87 * DAY));
    expect(reminderDueAt(sent, ms(sent, DAY))).toEqual(ms(sent, DAY / 2));
  });
  it("always falls after sending and before expiry", () => {
    for (const days of [1, 2, 5, 6, 7, 14, 30, 90]) {
      const expires = ms(sent, days * DAY);
      const due = reminderDueAt(sent, expires).getTime();
      expect(due).toBeGreaterThan(sent.getTime());
      expect(due).toBeLessThan(expires.getTime());
    }
  });
});

describe("code formats", () => {
  it("uses 32 distinct symbols without I, L, O or U", () => {
    expect(new Set(CODE_ALPHABET).size).toBe(32);
    expect(CODE_ALPHABET).not.toMatch(/[ILOU]/);
  });
  it("reads 5 bits a character: all-zero and all-one bytes give the alphabet's ends", () => {
    expect(referralCodeFrom(new Uint8Array(5))).toBe("00000000");
    expect(referralCodeFrom(new Uint8Array(5).fill(255))).toBe("ZZZZZZZZ");
    expect(certificateCodeFrom(new Uint8Array(10))).toBe("AMB-0000-0000-0000-0000");
    expect(certificateCodeFrom(new Uint8Array(10).fill(255))).toBe("AMB-ZZZZ-ZZZZ-ZZZZ-ZZZZ");
    expect(() => referralCodeFrom(new Uint8Array(4))).toThrow();
  });
  it("changes the code when any one of the 40 (referral) or 80 (certificate) bits changes", () => {
    const base = Uint8Array.from([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x0f, 0xed]);
    const referrals = new Set<string>();
    const certificates = new Set<string>();
    for (let bit = 0; bit < 80; bit++) {
      const flipped = base.slice();
      flipped[bit >> 3] ^= 0x80 >> (bit & 7);
      if (bit < 40) referrals.add(referralCodeFrom(flipped));
      certificates.add(certificateCodeFrom(flipped));
    }
    expect(referrals.size).toBe(40);
    expect(referrals.has(referralCodeFrom(base))).toBe(false);
    expect(certificates.size).toBe(80);
    expect(certificates.has(certificateCodeFrom(base))).toBe(false);
  });
  it("round-trips a referral code typed in any case with a hyphen or spaces", () => {
    const code = referralCodeFrom(Uint8Array.from([9, 8, 7, 6, 5]));
    for (const typed of [code, code.toLowerCase(), `${code.slice(0, 4)}-${code.slice(4)}`, ` ${code.slice(0, 4).toLowerCase()} ${code.slice(4)} `]) {
      expect(isReferralCode(typed)).toBe(true);
      expect(normaliseReferralCode(typed)).toBe(code);
    }
    expect(isReferralCode(code.slice(0, 7))).toBe(false);
    expect(isReferralCode(`${code}0`)).toBe(false);
    expect(isReferralCode("")).toBe(false);
  });
  it("checks a certificate code exactly: prefix, groups, alphabet, upper case", () => {
    const cert = certificateCodeFrom(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(isCertificateCode(cert)).toBe(true);
    expect(isCertificateCode(cert.toLowerCase())).toBe(false);
    expect(isCertificateCode(cert.replace(/^AMB-/, "XYZ-"))).toBe(false);
    expect(isCertificateCode(cert.replace(/-/g, ""))).toBe(false);
    expect(isCertificateCode(`${cert.slice(0, -1)}U`)).toBe(false);
    expect(isCertificateCode(`${cert}0`)).toBe(false);
  });
});

describe("messages", () => {
  // Every refusal of transition() and every problem of the checks here, listed by hand.
  const errorKeys: Record<ProgrammeErrorKey, true> = {
    already_member: true,
    already_invited: true,
    already_accepted: true,
    already_declined: true,
    invitation_expired: true,
    invitation_withdrawn: true,
    not_invited: true,
    not_member: true,
    already_active: true,
    already_paused: true,
    already_alumni: true,
  };
  const problemKeys = ["points_range", "expiryRange", "messageLength"];

  it("has an English and a Japanese message for each", () => {
    const en: Record<string, string> = programmeEn.errors;
    const ja: Record<string, string> = programmeJa.errors;
    for (const key of [...Object.keys(errorKeys), ...problemKeys]) {
      expect(en[key], key).toBeTruthy();
      expect(ja[key], key).toBeTruthy();
    }
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
  });

  it("returns only those keys", () => {
    const seen = new Set<string>();
    for (const state of programmeStates) for (const event of programmeEvents as readonly ProgrammeEvent[]) {
      const result = transition(state, event, { now, expiresAt: ms(now, -1) });
      if (!result.ok) seen.add(result.error);
    }
    expect([...seen].every((k) => k in errorKeys)).toBe(true);
  });
});
