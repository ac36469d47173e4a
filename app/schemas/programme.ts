// The ambassador programme's forms (issue 17), checked by these same schemas in the browser and in the
// actions. Messages are keys under `programme.errors`, worded in the reader's language by the page.
import { z } from "zod";
import { pointKinds } from "~/domain/programme";
import { checkProgrammeSettings, type ProgrammeSettings } from "~/domain/programme-settings";

const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

/** /join/<token>: a display name for the certificate, contact consent, and the terms accepted. */
export const joinSchema = z.object({
  intent: z.literal("accept"),
  displayName: z
    .string({ required_error: "programme.errors.displayName" })
    .trim()
    .min(1, "programme.errors.displayName")
    .max(60, "programme.errors.displayNameLength"),
  contactConsent: checkbox,
  acceptTerms: checkbox.refine((v) => v, "programme.errors.acceptTerms"),
});

export const declineSchema = z.object({ intent: z.literal("decline") });

/** Staff invite chosen customers (by external id) or a candidate shortlist. */
export const inviteSchema = z.object({
  externalIds: z
    .string()
    .trim()
    .transform((v) => [...new Set(v.split(/[\s,]+/).filter(Boolean))])
    .refine((ids) => ids.length > 0, "programme.errors.noInvitees")
    .refine((ids) => ids.length <= 5000, "programme.errors.tooManyInvitees"),
  message: z.string().trim().max(1000, "programme.errors.messageLength").default(""),
  expiresInDays: z.coerce
    .number({ invalid_type_error: "programme.errors.expiryRange" })
    .int("programme.errors.expiryRange")
    .min(1, "programme.errors.expiryRange")
    .max(90, "programme.errors.expiryRange"),
  /** The number of people the confirmation step showed: the invitation goes out only for that number. */
  confirmed: z.coerce.number().int().min(0).optional(),
});

/** The member area's sign-in form. */
export const signInSchema = z.object({
  email: z.string().trim().min(3, "programme.errors.email").max(254, "programme.errors.email").email("programme.errors.email"),
});

/** Staff add activity by hand; formId (a random id in the form) makes a double submit credit once. */
export const manualActivitySchema = z.object({
  intent: z.literal("activity"),
  note: z.string().trim().min(1, "programme.errors.note").max(500, "programme.errors.note"),
  points: z.coerce.number({ invalid_type_error: "programme.errors.points" }).int("programme.errors.points").min(0, "programme.errors.points").max(100_000, "programme.errors.points"),
  formId: z.string().uuid(),
});

export const revokeSchema = z.object({
  intent: z.literal("revoke"),
  reason: z.string().trim().min(1, "programme.errors.reason").max(500, "programme.errors.reason"),
});

/** The member's own profile page. */
export const profileSchema = z.object({
  intent: z.literal("profile"),
  displayName: joinSchema.shape.displayName,
  contactConsent: checkbox,
});

/** Settings › Ambassador programme: flat fields, checked by the domain's checkProgrammeSettings. */
const wholeNumber = (message: string) => z.coerce.number({ invalid_type_error: message }).int(message);
export const programmeSettingsSchema = z
  .object({
    intent: z.literal("programme"),
    name_ja: z.string().trim(),
    name_en: z.string().trim(),
    terms_ja: z.string().trim(),
    terms_en: z.string().trim(),
    certificateMonths: wholeNumber("programme.errors.months_range"),
    invitationDays: wholeNumber("programme.errors.expiryRange"),
    ...Object.fromEntries(pointKinds.map((k) => [`p_${k}`, wholeNumber("programme.errors.points_range")])),
  } as Record<string, z.ZodTypeAny> & { intent: z.ZodLiteral<"programme"> })
  .transform((v): ProgrammeSettings => ({
    name: { ja: v.name_ja as string, en: v.name_en as string },
    terms: { ja: v.terms_ja as string, en: v.terms_en as string },
    certificateMonths: v.certificateMonths as number,
    invitationDays: v.invitationDays as number,
    points: Object.fromEntries(pointKinds.map((k) => [k, v[`p_${k}`] as number])) as ProgrammeSettings["points"],
  }))
  .superRefine((s, ctx) => {
    const fieldOf = (field: string) => field.replace(/^name\.(\w+)$/, "name_$1").replace(/^terms\.(\w+)$/, "terms_$1").replace(/^points\./, "p_");
    for (const p of checkProgrammeSettings(s)) ctx.addIssue({ code: "custom", path: [fieldOf(p.field)], message: `programme.errors.${p.problem}` });
  });

/** The settings as the form's flat fields. */
export function programmeFields(s: ProgrammeSettings) {
  return {
    intent: "programme" as const,
    name_ja: s.name.ja,
    name_en: s.name.en,
    terms_ja: s.terms.ja,
    terms_en: s.terms.en,
    certificateMonths: s.certificateMonths,
    invitationDays: s.invitationDays,
    ...Object.fromEntries(pointKinds.map((k) => [`p_${k}`, s.points[k]])),
  };
}
