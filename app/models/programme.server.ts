// The ambassador programme's reads and writes (DESIGN §5, issue 17). The lifecycle's rules are
// app/domain/programme.ts; app/services/programme.server.ts applies them inside one transaction, with
// the rows read here FOR UPDATE, so two tabs accepting at once see one another's change.
import { desc, eq, sql } from "drizzle-orm";
import { getDb, type Db } from "../../db/client.server";
import {
  brandSettings,
  certificates,
  customerLoyalty,
  customerMetrics,
  customers,
  memberActivity,
  programmeInvitations,
  programmeMembers,
  purchases,
} from "../../db/schema";
import { bigintArray } from "../../db/sql-arrays";
import type { CpmSegment } from "~/domain/cpm";
import type { Quadrant } from "~/domain/loyalty";
import { defaultProgrammeSettings, withProgrammeDefaults, type ProgrammeSettings } from "~/domain/programme-settings";

export type InvitationRow = typeof programmeInvitations.$inferSelect;
export type MemberRow = typeof programmeMembers.$inferSelect;
export type CertificateRow = typeof certificates.$inferSelect;
export type ActivityKind = (typeof memberActivity.$inferInsert)["kind"];

// ---- Settings ------------------------------------------------------------------------------------

export async function getProgrammeSettings(db: Db = getDb()): Promise<ProgrammeSettings> {
  const [row] = await db.select({ settings: brandSettings.programmeSettings }).from(brandSettings).where(eq(brandSettings.id, 1));
  return row?.settings ? withProgrammeDefaults(row.settings) : defaultProgrammeSettings;
}

export async function saveProgrammeSettings(settings: ProgrammeSettings, db: Db = getDb()) {
  const value = settings as unknown as Record<string, unknown>;
  await db
    .insert(brandSettings)
    .values({ id: 1, programmeSettings: value })
    .onConflictDoUpdate({ target: brandSettings.id, set: { programmeSettings: value, updatedAt: sql`now()` } });
}

// ---- Invitations ---------------------------------------------------------------------------------

export interface Invitee {
  customerId: number;
  email: string | null;
  name: string | null;
  locale: string | null;
  reachable: boolean;
  member: boolean;
  invited: boolean;
  cpmSegment: CpmSegment | null;
}

/** The customers to invite, with what decides whether they may be: reachable, already a member, invited. */
export async function invitees(customerIds: number[], db: Db = getDb()): Promise<Invitee[]> {
  if (customerIds.length === 0) return [];
  return db
    .select({
      customerId: customers.id,
      email: customers.email,
      name: customers.name,
      locale: customers.locale,
      reachable: sql<boolean>`(${customers.marketingConsent} and ${customers.unsubscribedAt} is null and ${customers.email} is not null)`,
      member: sql<boolean>`exists (select 1 from programme_members pm where pm.customer_id = ${customers.id})`,
      invited: sql<boolean>`exists (select 1 from programme_invitations pi where pi.customer_id = ${customers.id} and pi.status = 'invited')`,
      cpmSegment: customerMetrics.cpmSegment,
    })
    .from(customers)
    .leftJoin(customerMetrics, eq(customerMetrics.customerId, customers.id))
    .where(sql`${customers.id} = any(${bigintArray(customerIds)})`)
    .orderBy(customers.id);
}

export async function insertInvitations(
  rows: { customerId: number; tokenHash: string; message: string | null; locale: string; expiresAt: Date; cpmSegment: CpmSegment | null; quadrant: Quadrant | null; staffUserId: number | null }[],
  db: Db,
) {
  if (rows.length === 0) return [];
  // The partial unique index on open invitations turns a second invitation of the same customer (two
  // staff at once) into no row rather than an error.
  return db
    .insert(programmeInvitations)
    .values(rows)
    .onConflictDoNothing({ target: programmeInvitations.customerId, where: sql`status = 'invited'` })
    .returning({ id: programmeInvitations.id, customerId: programmeInvitations.customerId });
}

/** An invitation by its link's hash, locked for the caller's transaction. */
export async function invitationByTokenHash(tokenHash: string, db: Db, options: { lock?: boolean } = {}) {
  const query = db
    .select({ invitation: programmeInvitations, customerName: customers.name, customerEmail: customers.email })
    .from(programmeInvitations)
    .innerJoin(customers, eq(customers.id, programmeInvitations.customerId))
    .where(sql`(${programmeInvitations.tokenHash} = ${tokenHash} or ${programmeInvitations.reminderTokenHash} = ${tokenHash})`);
  const [row] = options.lock ? await query.for("update", { of: programmeInvitations }) : await query;
  return row ?? null;
}

export async function invitationById(id: number, db: Db = getDb(), options: { lock?: boolean } = {}) {
  const query = db.select().from(programmeInvitations).where(eq(programmeInvitations.id, id));
  const [row] = options.lock ? await query.for("update") : await query;
  return row ?? null;
}

/** Each customer's latest loyalty score (customer_loyalty), for the quadrant recorded at invitation. */
export async function latestPsychScores(customerIds: number[], db: Db = getDb()) {
  if (customerIds.length === 0) return new Map<number, number | null>();
  const rows = await db
    .select({ customerId: customerLoyalty.customerId, psychScore: customerLoyalty.psychScore })
    .from(customerLoyalty)
    .where(sql`${customerLoyalty.customerId} = any(${bigintArray(customerIds)})`);
  return new Map(rows.map((r) => [r.customerId, r.psychScore]));
}

export async function customerLocale(customerId: number, db: Db = getDb()) {
  const [row] = await db.select({ locale: customers.locale }).from(customers).where(eq(customers.id, customerId));
  return row?.locale ?? null;
}

/** The customer behind a member, for the staff's member page. */
export async function customerSummary(customerId: number, db: Db = getDb()) {
  const [row] = await db
    .select({ id: customers.id, externalId: customers.externalId, name: customers.name, email: customers.email, cpmSegment: customerMetrics.cpmSegment })
    .from(customers)
    .leftJoin(customerMetrics, eq(customerMetrics.customerId, customers.id))
    .where(eq(customers.id, customerId));
  return row ?? null;
}

export async function setInvitationStatus(id: number, status: InvitationRow["status"], db: Db) {
  await db.update(programmeInvitations).set({ status, answeredAt: sql`now()` }).where(eq(programmeInvitations.id, id));
}

/** Open invitations past their expiry become expired (the hourly job); returns how many. */
export async function expireInvitations(db: Db = getDb()) {
  const rows = await db
    .update(programmeInvitations)
    .set({ status: "expired" })
    .where(sql`${programmeInvitations.status} = 'invited' and ${programmeInvitations.expiresAt} <= now()`)
    .returning({ id: programmeInvitations.id });
  return rows.length;
}

/** Open invitations whose one reminder is due (sent before `dueBefore` rule: see reminderDueAt), not yet reminded. */
export async function invitationsToRemind(db: Db = getDb()) {
  return db
    .select({
      id: programmeInvitations.id,
      customerId: programmeInvitations.customerId,
      sentAt: programmeInvitations.sentAt,
      expiresAt: programmeInvitations.expiresAt,
      message: programmeInvitations.message,
      locale: programmeInvitations.locale,
      name: customers.name,
      email: customers.email,
    })
    .from(programmeInvitations)
    .innerJoin(customers, eq(customers.id, programmeInvitations.customerId))
    .where(sql`${programmeInvitations.status} = 'invited' and ${programmeInvitations.remindedAt} is null and ${programmeInvitations.expiresAt} > now()`);
}

/** Records the one reminder and its link's hash; false when another worker reminded first. */
export async function markInvitationReminded(id: number, reminderTokenHash: string, db: Db) {
  const rows = await db
    .update(programmeInvitations)
    .set({ remindedAt: sql`now()`, reminderTokenHash })
    .where(sql`${programmeInvitations.id} = ${id} and ${programmeInvitations.remindedAt} is null`)
    .returning({ id: programmeInvitations.id });
  return rows.length > 0;
}

// ---- Members and certificates --------------------------------------------------------------------

export async function memberByCustomer(customerId: number, db: Db = getDb()) {
  const [row] = await db.select().from(programmeMembers).where(eq(programmeMembers.customerId, customerId));
  return row ?? null;
}

export async function memberById(id: number, db: Db = getDb(), options: { lock?: boolean } = {}) {
  const query = db.select().from(programmeMembers).where(eq(programmeMembers.id, id));
  const [row] = options.lock ? await query.for("update") : await query;
  return row ?? null;
}

export async function insertMember(values: typeof programmeMembers.$inferInsert, db: Db) {
  const [row] = await db.insert(programmeMembers).values(values).returning();
  return row!;
}

export async function setMemberStatus(id: number, status: MemberRow["status"], db: Db) {
  await db.update(programmeMembers).set({ status, statusChangedAt: sql`now()` }).where(eq(programmeMembers.id, id));
}

export async function updateMemberProfile(id: number, values: { displayName: string; contactConsent: boolean }, db: Db = getDb()) {
  await db.update(programmeMembers).set(values).where(eq(programmeMembers.id, id));
}

export async function insertCertificate(values: typeof certificates.$inferInsert, db: Db) {
  const [row] = await db.insert(certificates).values(values).returning();
  return row!;
}

/** The member's certificate in force (not revoked), if any. */
export async function currentCertificate(memberId: number, db: Db = getDb()) {
  const [row] = await db
    .select()
    .from(certificates)
    .where(sql`${certificates.memberId} = ${memberId} and ${certificates.revokedAt} is null`);
  return row ?? null;
}

export async function certificatesOf(memberId: number, db: Db = getDb()) {
  return db.select().from(certificates).where(eq(certificates.memberId, memberId)).orderBy(desc(certificates.issuedAt), desc(certificates.id));
}

export async function certificateByCode(code: string, db: Db = getDb()) {
  const [row] = await db.select().from(certificates).where(eq(certificates.code, code));
  return row ?? null;
}

/** Revokes the member's certificate in force; null when there was none. */
export async function revokeCurrentCertificate(memberId: number, reason: string, staffUserId: number | null, db: Db) {
  const [row] = await db
    .update(certificates)
    .set({ revokedAt: sql`now()`, revokeReason: reason, revokedBy: staffUserId })
    .where(sql`${certificates.memberId} = ${memberId} and ${certificates.revokedAt} is null`)
    .returning();
  return row ?? null;
}

// ---- Activity and referrals ----------------------------------------------------------------------

/**
 * Records activity once per source key and adds its points to the member, in the caller's
 * transaction; returns whether it was new (a retried form or a re-import credits nothing).
 */
export async function addActivity(
  values: { memberId: number; kind: ActivityKind; points: number; sourceKey: string; note?: string | null; details?: Record<string, string | number | null> | null; staffUserId?: number | null; occurredAt?: Date },
  db: Db,
) {
  const [row] = await db
    .insert(memberActivity)
    .values({ ...values, note: values.note ?? null, details: values.details ?? null, staffUserId: values.staffUserId ?? null })
    .onConflictDoNothing({ target: memberActivity.sourceKey })
    .returning({ id: memberActivity.id });
  if (!row) return false;
  await db
    .update(programmeMembers)
    .set({ points: sql`${programmeMembers.points} + ${values.points}`, lastActivityAt: sql`greatest(${programmeMembers.lastActivityAt}, ${(values.occurredAt ?? new Date()).toISOString()}::timestamptz)` })
    .where(eq(programmeMembers.id, values.memberId));
  return true;
}

/**
 * Credits members for purchases made with their referral code (not their own), set-based, once per
 * purchase: the activity's source key is the purchase's own key, so re-importing a file (which inserts
 * no purchase) or running this again credits nothing twice. Returns the number of new credits.
 */
export async function creditReferralPurchases(points: number, db: Db = getDb()) {
  return db.transaction(async (tx) => {
    const credited = await tx.execute(sql`
      with new_credits as (
        insert into member_activity (member_id, kind, points, source_key, details, occurred_at)
        select m.id, 'referral_purchase', ${points}, 'purchase:' || p.customer_id || ':' || p.dedupe_key,
               jsonb_build_object('customer_id', p.customer_id, 'amount', p.amount::text), p.purchased_at
          from purchases p
          join programme_members m on m.referral_code = upper(replace(p.referral_code, '-', ''))
         where p.referral_code is not null and p.customer_id <> m.customer_id and p.amount >= 0
        on conflict (source_key) do nothing
        returning member_id, points, occurred_at
      )
      update programme_members m
         set points = m.points + c.points, last_activity_at = greatest(m.last_activity_at, c.at)
        from (select member_id, sum(points)::int as points, max(occurred_at) as at, count(*) as n from new_credits group by member_id) c
       where m.id = c.member_id
      returning c.n`);
    const rows = (Array.isArray(credited) ? credited : (credited as { rows: { n: number }[] }).rows) as { n: number | string }[];
    return rows.reduce((sum, r) => sum + Number(r.n), 0);
  });
}

/** What a member's referral code brought: distinct customers and their purchases' total. */
export async function referralStats(memberIds: number[], db: Db = getDb()) {
  if (memberIds.length === 0) return new Map<number, { referrals: number; revenue: number; purchases: number }>();
  const rows = await db
    .select({
      memberId: programmeMembers.id,
      referrals: sql<number>`count(distinct ${purchases.customerId})::int`,
      purchases: sql<number>`count(${purchases.customerId})::int`,
      revenue: sql<number>`coalesce(sum(${purchases.amount}), 0)::float8`,
    })
    .from(programmeMembers)
    .innerJoin(
      purchases,
      sql`upper(replace(${purchases.referralCode}, '-', '')) = ${programmeMembers.referralCode} and ${purchases.referralCode} is not null and ${purchases.customerId} <> ${programmeMembers.customerId}`,
    )
    .where(sql`${programmeMembers.id} = any(${bigintArray(memberIds)})`)
    .groupBy(programmeMembers.id);
  return new Map(rows.map((r) => [r.memberId, { referrals: r.referrals, revenue: r.revenue, purchases: r.purchases }]));
}

export async function activityOf(memberId: number, db: Db = getDb(), limit = 200) {
  return db
    .select()
    .from(memberActivity)
    .where(eq(memberActivity.memberId, memberId))
    .orderBy(desc(memberActivity.occurredAt), desc(memberActivity.id))
    .limit(limit);
}

// ---- Staff views ---------------------------------------------------------------------------------

/** Members with their customer, certificate state and referral figures (the staff list and the export). */
export async function listMembers(options: { status?: MemberRow["status"]; limit?: number; offset?: number } = {}, db: Db = getDb()) {
  return db
    .select({
      id: programmeMembers.id,
      customerId: programmeMembers.customerId,
      externalId: customers.externalId,
      name: customers.name,
      email: customers.email,
      displayName: programmeMembers.displayName,
      status: programmeMembers.status,
      points: programmeMembers.points,
      joinedAt: programmeMembers.joinedAt,
      lastActivityAt: programmeMembers.lastActivityAt,
      referralCode: programmeMembers.referralCode,
      certificateCode: sql<string | null>`cert.code`,
      certificateIssuedAt: sql<string | null>`cert.issued_at::text`,
      certificateExpiresAt: sql<string | null>`cert.expires_at::text`,
      certificateRevokedAt: sql<string | null>`cert.revoked_at::text`,
    })
    .from(programmeMembers)
    .innerJoin(customers, eq(customers.id, programmeMembers.customerId))
    .leftJoin(
      // The latest certificate: the one in force, else the last revoked.
      sql`lateral (select c.code, c.issued_at, c.expires_at, c.revoked_at from certificates c
                    where c.member_id = ${programmeMembers.id}
                    order by (c.revoked_at is null) desc, c.issued_at desc, c.id desc limit 1) cert`,
      sql`true`,
    )
    .where(options.status ? eq(programmeMembers.status, options.status) : undefined)
    .orderBy(desc(programmeMembers.joinedAt), desc(programmeMembers.id))
    .limit(options.limit ?? 500)
    .offset(options.offset ?? 0);
}

export async function invitationsOf(customerId: number, db: Db = getDb()) {
  return db.select().from(programmeInvitations).where(eq(programmeInvitations.customerId, customerId)).orderBy(desc(programmeInvitations.sentAt));
}

/** Invitations by status, and the members they became, per segment and quadrant at sending (the funnel). */
export async function funnelCounts(db: Db = getDb()) {
  return db
    .select({
      segment: sql<CpmSegment | "none">`coalesce(${programmeInvitations.cpmSegment}, 'none')`,
      quadrant: sql<Quadrant | "none">`coalesce(${programmeInvitations.quadrant}, 'none')`,
      invited: sql<number>`count(*)::int`,
      accepted: sql<number>`(count(*) filter (where ${programmeInvitations.status} = 'accepted'))::int`,
      declined: sql<number>`(count(*) filter (where ${programmeInvitations.status} = 'declined'))::int`,
      expired: sql<number>`(count(*) filter (where ${programmeInvitations.status} = 'expired'))::int`,
      open: sql<number>`(count(*) filter (where ${programmeInvitations.status} = 'invited'))::int`,
      active: sql<number>`(count(*) filter (where m.status = 'active'))::int`,
    })
    .from(programmeInvitations)
    .leftJoin(sql`programme_members m`, sql`m.invitation_id = ${programmeInvitations.id}`)
    .groupBy(sql`1, 2`);
}

export async function memberCounts(db: Db = getDb()) {
  const rows = await db
    .select({ status: programmeMembers.status, n: sql<number>`count(*)::int` })
    .from(programmeMembers)
    .groupBy(programmeMembers.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Partial<Record<MemberRow["status"], number>>;
}

