// The member export (issue 17), shared by the staff download (/staff/ambassadors/export.csv) and
// `npm run portal -- export members [FILE]`: one row per member with their customer's id, status,
// current certificate and its state, points, and what their referral code brought. Streams in batches.
import fs from "node:fs";
import { certificateStatus } from "~/domain/programme";
import { listMembers, referralStats } from "~/models/programme.server";
import { csvLines } from "~/utils/csv.server";
import type { Db } from "../../db/client.server";

export const memberExportColumns = [
  "member_id",
  "customer_id",
  "status",
  "certificate_code",
  "certificate_status",
  "points",
  "referrals",
  "referral_revenue",
] as const;

const BATCH = 1000;

export async function* memberExportRows(db?: Db): AsyncGenerator<(string | number | null)[][]> {
  const now = new Date();
  for (let offset = 0; ; offset += BATCH) {
    const members = await listMembers({ limit: BATCH, offset }, db);
    if (members.length === 0) return;
    const stats = await referralStats(
      members.map((m) => m.id),
      db,
    );
    yield members.map((m) => {
      const s = stats.get(m.id);
      const certStatus = m.certificateCode
        ? certificateStatus(
            {
              issuedAt: new Date(m.certificateIssuedAt!),
              expiresAt: m.certificateExpiresAt ? new Date(m.certificateExpiresAt) : null,
              revokedAt: m.certificateRevokedAt ? new Date(m.certificateRevokedAt) : null,
            },
            now,
          )
        : null;
      return [m.id, m.externalId, m.status, m.certificateCode, certStatus, m.points, s?.referrals ?? 0, (s?.revenue ?? 0).toFixed(2)];
    });
    if (members.length < BATCH) return;
  }
}

class UsageError extends Error {
  name = "UsageError";
}

/** `portal export members [FILE]`: every member; standard output without FILE. */
export async function exportMembersCommand(args: string[]) {
  const [file, ...extra] = args;
  if (extra.length > 0) throw new UsageError("Usage: npm run portal -- export members [FILE]");
  const out = file ? fs.createWriteStream(file) : process.stdout;
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r())));
  await write(csvLines([[...memberExportColumns]]));
  let n = 0;
  for await (const rows of memberExportRows()) {
    n += rows.length;
    await write(csvLines(rows));
  }
  if (file) {
    await new Promise<void>((resolve, reject) => (out as fs.WriteStream).end((error?: Error | null) => (error ? reject(error) : resolve())));
    console.error(`Wrote ${n} member(s) to ${file}.`);
  }
}
