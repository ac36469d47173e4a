// `npm run demo`: the ambassador programme with about 60 members across the lifecycle (issue 17),
// made through the same invitations, acceptances, revocations and status changes staff and members
// use, then spread over the past 20 months: active, paused and alumni members; certificates valid,
// expired and revoked (one reissued); referral purchases credited; activity and points; open,
// declined and expired invitations, whose emails are in the staff mailbox.
import { mulberry32 } from "../../db/seed/demo";
import { backdateMembers, countProgrammeMembers, lapseInvitations, tagReferralPurchases } from "~/models/demo-data.server";
import { getLoyaltySettings, rankCandidates } from "~/models/loyalty.server";
import { insertInvitations, listMembers } from "~/models/programme.server";
import { refreshSurveyStats } from "~/models/survey-results.server";
import { getDb } from "../../db/client.server";
import { hashToken, newToken } from "~/utils/crypto.server";
import {
  acceptInvitation,
  changeMemberStatus,
  creditReferrals,
  declineInvitation,
  inviteToProgramme,
  recordActivity,
  reissueCertificate,
  remindAndExpireInvitations,
  revokeCertificate,
} from "./programme.server";

const MEMBERS = 60;
const DECLINED = 6;
const OPEN = 10;

const nicknames = ["はなこ", "たろう", "Yuki", "さくら", "Ken", "みどり", "Aoi", "ひろし", "Mei", "りょう", "Sora", "なつみ"];

export async function seedDemoProgramme() {
  if ((await countProgrammeMembers()) > 0) return null;
  const db = getDb();
  await refreshSurveyStats(db);
  const settings = await getLoyaltySettings(db);
  // The best of the ambassador list first, as staff would start; then co-creation partners.
  const ambassadors = await rankCandidates("ambassador", settings, { view: "all", limit: MEMBERS + DECLINED + OPEN, db });
  const partners = await rankCandidates("cocreation", settings, { view: "all", limit: 3 * (MEMBERS + DECLINED + OPEN), db });
  const seen = new Set<number>();
  const people = [...ambassadors.rows, ...partners.rows].filter((r) => !seen.has(r.customer_id) && seen.add(r.customer_id)).slice(0, MEMBERS + DECLINED + OPEN);
  if (people.length < MEMBERS + DECLINED) return null;
  const rng = mulberry32(17);

  // Invitations answered in the past: made with known tokens so the demo can answer them through the
  // same acceptance a member's click makes.
  const answered = people.slice(0, MEMBERS + DECLINED);
  const tokens = answered.map(() => newToken());
  await insertInvitations(
    answered.map((p, i) => ({
      customerId: p.customer_id,
      tokenHash: hashToken(tokens[i]!),
      message: null,
      locale: "ja",
      expiresAt: new Date(Date.now() + 14 * 86_400_000),
      cpmSegment: p.cpm_segment,
      quadrant: p.quadrant,
      staffUserId: null,
    })),
    db,
  );
  const memberIds: number[] = [];
  for (const [i, p] of answered.entries()) {
    if (i >= MEMBERS) {
      await declineInvitation(tokens[i]!, db);
      continue;
    }
    const name = p.name?.split(/\s+/)[0] || nicknames[i % nicknames.length]!;
    const { member } = await acceptInvitation(tokens[i]!, { displayName: name, contactConsent: rng() < 0.85 }, db);
    memberIds.push(member.id);
  }
  // Joined over the last 20 months; the earliest fifth had one-year certificates, which have expired.
  await backdateMembers(
    memberIds.map((memberId, i) => {
      const daysAgo = Math.round(20 + (i / MEMBERS) * 590 + rng() * 10);
      return { memberId, daysAgo, months: daysAgo > 420 ? 12 : 24 };
    }),
    db,
  );
  // The lifecycle: some paused, some alumni (their certificates revoked), a few revoked by staff, one reissued.
  for (const id of memberIds.slice(40, 46)) await changeMemberStatus(id, "pause", null, db);
  for (const id of memberIds.slice(46, 52)) await changeMemberStatus(id, "leave", null, db);
  for (const id of memberIds.slice(52, 55)) await revokeCertificate(id, "表示名の変更依頼 / name change requested", null, db);
  await reissueCertificate(memberIds[52]!, null, db);

  // Referrals: other customers' purchases with the first thirty members' codes, credited as imports do.
  const members = await listMembers({ limit: MEMBERS }, db);
  await tagReferralPurchases(
    members.slice(0, 30).map((m) => m.referralCode),
    3,
    db,
  );
  const credited = await creditReferrals(db);
  // Activity staff recorded: events, surveys, co-creation.
  const kinds = ["event_attended", "survey_answered", "cocreation", "manual"] as const;
  for (const [i, id] of memberIds.slice(0, 45).entries()) {
    const kind = kinds[i % kinds.length]!;
    await recordActivity({ memberId: id, kind, sourceKey: `demo:${id}:${kind}`, note: kind === "manual" ? "店頭イベントの手伝い / helped at an in-store event" : null, occurredAt: new Date(Date.now() - Math.round(rng() * 120) * 86_400_000) }, db);
  }

  // Open invitations (their emails reach the mailbox), a few of which have lapsed.
  const open = people.slice(MEMBERS + DECLINED).map((p) => p.customer_id);
  await inviteToProgramme({ customerIds: open, message: "いつもありがとうございます。ぜひご参加ください。", expiresInDays: 14, staffUserId: null }, db);
  await lapseInvitations(open.slice(0, 3), db);
  const { expired } = await remindAndExpireInvitations(db);
  return { members: memberIds.length, credited, open: open.length - expired, expired, declined: DECLINED };
}
