// The ambassador programme on a real database (issue 17): invite → accept from the emailed link, with a
// member, a certificate and the welcome email in one transaction; double acceptance (two tabs at once),
// expired and withdrawn invitations refused with nothing changed; referral credit once across re-imports;
// sign-in links single-use and rate-limited, answering alike for strangers; leaving revokes; the export.
import { Readable } from "node:stream";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client.server";
import { memberExportColumns, memberExportRows } from "~/cli/members-command";
import { listMembers } from "~/models/programme.server";
import { runImport } from "~/services/import/import.server";
import {
  acceptInvitation,
  changeMemberStatus,
  checkPastedCredential,
  credentialOf,
  inviteToProgramme,
  ProgrammeError,
  remindAndExpireInvitations,
  requestSignInLink,
  revokeCertificate,
  signInWithLink,
  verifyCertificate,
  withdrawInvitation,
} from "~/services/programme.server";
import { memberBySession } from "~/models/member-auth.server";
import { hashToken } from "~/utils/crypto.server";
import { useTestDatabase } from "../setup/db";

async function customer(externalId: string, options: { consent?: boolean; email?: string | null } = {}) {
  const email = options.email === undefined ? `${externalId.toLowerCase()}@example.com` : options.email;
  const [row] = await queryRows<{ id: number }>(
    sql`insert into customers (external_id, email, name, locale, marketing_consent)
        values (${externalId}, ${email}, ${`Name ${externalId}`}, 'ja', ${options.consent ?? true}) returning id`,
  );
  return Number(row!.id);
}

/** The personal links emailed so far with a template, newest last, read from the outbox as the worker would send them. */
async function emailedLinks(template: string, field: string) {
  const rows = await queryRows<{ url: string; to_email: string }>(
    sql`select data->>${field} as url, to_email from outbox_messages where template = ${template} order by id`,
  );
  return rows.map((r) => ({ to: r.to_email, token: r.url.split("/").pop()! }));
}

const count = async (table: string) => Number((await queryRows<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n);

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProgrammeError) return error.key;
    throw error;
  }
  return "accepted";
}

describe("the ambassador programme", () => {
  useTestDatabase();

  it("invites, skips members and the unreachable, and accepts once from the emailed link, even from two tabs at once", async () => {
    const hana = await customer("C1");
    const noConsent = await customer("C2", { consent: false });
    const invited = await inviteToProgramme({ customerIds: [hana, noConsent], message: "店長より\nぜひ！", expiresInDays: 14, staffUserId: null });
    expect(invited).toEqual({ invited: 1, skipped: { no_consent: 1, member: 0, invited: 0 } });
    // Inviting again while the invitation is open invites nobody.
    expect((await inviteToProgramme({ customerIds: [hana], message: null, expiresInDays: 14, staffUserId: null })).skipped.invited).toBe(1);
    const [link] = await emailedLinks("ambassador-invitation", "acceptUrl");
    expect(link!.to).toBe("c1@example.com");
    expect(link!.token.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url
    // Only the hash is stored.
    expect(await queryRows(sql`select 1 from programme_invitations where token_hash = ${link!.token}`)).toEqual([]);

    const input = { displayName: "はなこ", contactConsent: true };
    const outcomes = await Promise.all([refusal(acceptInvitation(link!.token, input)), refusal(acceptInvitation(link!.token, input))]);
    expect(outcomes.sort()).toEqual(["accepted", "already_accepted"].sort());
    expect(await count("programme_members")).toBe(1);
    expect(await count("certificates")).toBe(1);
    const [welcome] = await queryRows<{ n: number }>(sql`select count(*)::int as n from outbox_messages where template = 'welcome-certificate'`);
    expect(welcome!.n).toBe(1);
    const [member] = await listMembers();
    expect(member).toMatchObject({ customerId: hana, displayName: "はなこ", status: "active", points: 0 });
    expect((await verifyCertificate(member!.certificateCode!))!.status).toBe("valid");

    // A member is not invited again.
    expect((await inviteToProgramme({ customerIds: [hana], message: null, expiresInDays: 14, staffUserId: null })).skipped.member).toBe(1);
  });

  it("refuses an expired, withdrawn or declined invitation and an unknown link, changing nothing", async () => {
    const a = await customer("E1");
    const b = await customer("E2");
    await inviteToProgramme({ customerIds: [a, b], message: null, expiresInDays: 7, staffUserId: null });
    const [first, second] = await emailedLinks("ambassador-invitation", "acceptUrl");
    // Past its expiry, before the hourly job has run: refused all the same.
    await queryRows(sql`update programme_invitations set expires_at = now() - interval '1 minute' where customer_id = ${a}`);
    expect(await refusal(acceptInvitation(first!.token, { displayName: "A", contactConsent: false }))).toBe("invitation_expired");
    expect((await remindAndExpireInvitations()).expired).toBe(1);
    const [withdrawn] = await queryRows<{ id: number }>(sql`select id from programme_invitations where customer_id = ${b}`);
    await withdrawInvitation(Number(withdrawn!.id));
    expect(await refusal(acceptInvitation(second!.token, { displayName: "B", contactConsent: false }))).toBe("invitation_withdrawn");
    expect(await refusal(acceptInvitation("forged-token-that-matches-nothing", { displayName: "X", contactConsent: false }))).toBe("not_found");
    expect(await count("programme_members")).toBe(0);
    expect(await count("certificates")).toBe(0);
  });

  it("credits a referral purchase once, whatever the number of imports, and never the member's own", async () => {
    const hana = await customer("R1");
    await inviteToProgramme({ customerIds: [hana], message: null, expiresInDays: 14, staffUserId: null });
    const [link] = await emailedLinks("ambassador-invitation", "acceptUrl");
    const { member } = await acceptInvitation(link!.token, { displayName: "Hana", contactConsent: true });
    const code = member.referralCode;
    // Typed at the till in lower case with a hyphen: the same code.
    const typed = `${code.slice(0, 4).toLowerCase()}-${code.slice(4).toLowerCase()}`;
    const file = [
      "customer_id,purchased_at,amount,order_id,referral_code",
      `F1,2026-10-01T10:00:00Z,3000,O1,${typed}`,
      `F2,2026-10-02T10:00:00Z,5000,O2,${code}`,
      `F2,2026-10-03T10:00:00Z,2000,O3,${code}`,
      `R1,2026-10-04T10:00:00Z,9000,O4,${code}`,
      "F3,2026-10-05T10:00:00Z,1000,O5,NOSUCHCODE",
    ].join("\n");
    const load = () => runImport({ kind: "purchases", fileName: "p.csv", mode: "all_or_nothing", open: () => Readable.from([Buffer.from(file)]) });
    await load();
    await load();
    const [after] = await listMembers();
    expect(after!.points).toBe(3 * 50);
    expect(await count("member_activity")).toBe(3);
    const rows = [];
    for await (const batch of memberExportRows()) rows.push(...batch);
    expect(memberExportColumns).toEqual(["member_id", "customer_id", "status", "certificate_code", "certificate_status", "points", "referrals", "referral_revenue"]);
    expect(rows).toEqual([[member.id, "R1", "active", after!.certificateCode, "valid", 150, 2, "10000.00"]]);
  });

  it("signs a member in with a single-use link, rate-limited, answering alike for strangers; leaving revokes and signs out", async () => {
    const hana = await customer("S1");
    await inviteToProgramme({ customerIds: [hana], message: null, expiresInDays: 14, staffUserId: null });
    const [link] = await emailedLinks("ambassador-invitation", "acceptUrl");
    const { member, certificate } = await acceptInvitation(link!.token, { displayName: "Hana", contactConsent: true });

    await requestSignInLink("nobody@example.com");
    expect(await emailedLinks("magic-link", "signInUrl")).toEqual([]);
    for (let i = 0; i < 5; i++) await requestSignInLink("S1@example.com");
    const links = await emailedLinks("magic-link", "signInUrl");
    expect(links).toHaveLength(3);
    const session = await signInWithLink(links[0]!.token);
    expect(session).toBeTruthy();
    expect(await signInWithLink(links[0]!.token)).toBeNull();
    expect((await memberBySession(hashToken(session!)))?.id).toBe(member.id);
    await queryRows(sql`update member_sign_in_links set expires_at = now() - interval '1 second'`);
    expect(await signInWithLink(links[1]!.token)).toBeNull();

    // The credential verifies with the served key set alone; altered, it fails on the verify page.
    const jwt = (await credentialOf(certificate.code))!;
    expect(await checkPastedCredential(jwt)).toMatchObject({ ok: true, code: certificate.code, status: "valid" });
    const [head, body, signature] = jwt.split(".");
    const payload = JSON.parse(Buffer.from(body!, "base64url").toString());
    payload.credentialSubject.name = "Someone Else";
    const altered = `${head}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${signature}`;
    expect(await checkPastedCredential(altered)).toEqual({ ok: false, reason: "bad_signature" });
    expect(await checkPastedCredential("not a jwt")).toEqual({ ok: false, reason: "malformed" });

    await revokeCertificate(member.id, "test of revocation", null);
    expect((await verifyCertificate(certificate.code))!.status).toBe("revoked");
    // A genuine credential of a revoked certificate still verifies as a signature, and says revoked.
    expect(await checkPastedCredential(jwt)).toMatchObject({ ok: true, status: "revoked" });
    expect(await refusal(revokeCertificate(member.id, "again", null))).toBe("no_certificate");
    expect(await changeMemberStatus(member.id, "leave", null)).toBe("alumni");
    expect(await memberBySession(hashToken(session!))).toBeNull();
    expect(await refusal(changeMemberStatus(member.id, "leave", null))).not.toBe("accepted");
  });
});

describe("the programme's public pages on forged input", () => {
  useTestDatabase();

  it("answer 404 or 410 to forged tokens and codes, never 500, and the member area needs the member's own session", async () => {
    const join = await import("~/routes/join.$token");
    const verifyPage = await import("~/routes/verify.$code._index");
    const status = await import("~/routes/verify.$code.status[.]json");
    const credential = await import("~/routes/verify.$code.credential[.]jwt");
    const signIn = await import("~/routes/m.sign-in.$token");
    const pdf = await import("~/routes/m.certificate[.]pdf");
    const args = (path: string, params: Record<string, string>, init?: RequestInit) => ({ request: new Request(`http://localhost${path}`, init), params, context: {} });
    const statusOf = (value: unknown) => {
      const v = value as { type?: string; init?: { status?: number }; status?: number };
      return v instanceof Response ? v.status : v?.type === "DataWithResponseInit" ? (v.init?.status ?? 200) : 200;
    };
    for (const token of ["forged", "x".repeat(300), "../../etc/passwd", "%00"]) {
      expect(statusOf(await join.loader(args(`/join/${encodeURIComponent(token)}`, { token }) as never))).toBe(404);
      const form = new URLSearchParams({ intent: "accept", displayName: "X", acceptTerms: "on" });
      const posted = await join.action(args(`/join/x`, { token }, { method: "POST", body: form, headers: { "Content-Type": "application/x-www-form-urlencoded" } }) as never);
      expect(statusOf(posted)).toBe(404);
      expect(statusOf(await signIn.loader(args(`/m/sign-in/x`, { token }) as never))).toBe(410);
    }
    for (const code of ["AMB-0000-0000-0000-0000", "'; drop table certificates; --", ""]) {
      expect(statusOf(await verifyPage.loader(args(`/verify/x`, { code }) as never))).toBe(404);
      expect(statusOf(await status.loader(args(`/verify/x/status.json`, { code }) as never))).toBe(404);
      const thrown = await credential.loader(args(`/verify/x/credential.jwt`, { code }) as never).catch((e: unknown) => e);
      expect(statusOf(thrown)).toBe(404);
    }
    // No session, or a forged cookie: the PDF is not served, the sign-in page is.
    for (const cookie of [undefined, "portal_member=forged"]) {
      const thrown = await pdf.loader(args("/m/certificate.pdf", {}, cookie ? { headers: { Cookie: cookie } } : undefined) as never).catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(302);
      expect((thrown as Response).headers.get("Location")).toBe("/m");
    }
  });
});
