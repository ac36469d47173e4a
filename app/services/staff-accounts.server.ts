// Admin changes to staff accounts, with the rule that the portal always keeps an active admin.
import { forgetUserSessions } from "~/utils/auth.server";
import { countActiveAdmins, insertStaff, listStaff, updateStaff } from "~/models/staff.server";
import type { Role } from "~/domain/roles";
import { hashPassword } from "~/utils/crypto.server";
import { getDb } from "../../db/client.server";

export type AccountChangeResult = { ok: true } | { ok: false; error: "admin.emailTaken" | "admin.lastAdmin" | "errors.notFound" };

export async function addStaffAccount(input: { name: string; email: string; role: Role; password: string }): Promise<AccountChangeResult> {
  const created = await insertStaff({ name: input.name, email: input.email, role: input.role, passwordHash: await hashPassword(input.password) });
  return created ? { ok: true } : { ok: false, error: "admin.emailTaken" };
}

export async function changeStaffAccount(
  userId: number,
  change: { role: Role } | { active: boolean },
): Promise<AccountChangeResult> {
  return getDb().transaction(async (tx) => {
    const accounts = await listStaff(tx);
    const target = accounts.find((a) => a.id === userId);
    if (!target) return { ok: false, error: "errors.notFound" } as const;
    const losesAdmin =
      target.role === "admin" && target.active && ("role" in change ? change.role !== "admin" : change.active === false);
    if (losesAdmin && (await countActiveAdmins(tx)) <= 1) return { ok: false, error: "admin.lastAdmin" } as const;
    await updateStaff(userId, change, tx);
    forgetUserSessions(userId);
    return { ok: true } as const;
  });
}
