// Staff sign-in and account forms. Messages are i18n keys: the same schema checks the browser form
// (react-hook-form) and the action, and the page translates whichever error it gets.
import { z } from "zod";
import { MAX_EMAIL_LENGTH } from "~/domain/email-address";
import { roles } from "~/domain/roles";
import { newPasswordSchema } from "./password";

const email = z.string().trim().min(1, "errors.required").max(MAX_EMAIL_LENGTH, "errors.tooLong").email("errors.email");
const name = z.string().trim().min(1, "errors.required").max(100, "errors.tooLong");
// 12+ characters and not guessable (see ./password): an async check, so parse these with safeParseAsync.
const newPassword = newPasswordSchema;

export const loginSchema = z.object({
  email,
  password: z.string().min(1, "errors.required").max(200, "errors.tooLong"),
  redirectTo: z.string().optional(),
});

export const setupSchema = z.object({ name, email, password: newPassword });

export const newStaffSchema = z.object({ name, email, role: z.enum(roles), password: newPassword });

export const staffChangeSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("role"), userId: z.coerce.number().int().positive(), role: z.enum(roles) }),
  z.object({
    intent: z.literal("active"),
    userId: z.coerce.number().int().positive(),
    active: z.enum(["true", "false"]).transform((v) => v === "true"),
  }),
]);

export const localeSchema = z.object({ locale: z.enum(["ja", "en"]), redirectTo: z.string().optional() });
