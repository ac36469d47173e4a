import { z } from "zod";

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const isCurrency = (code: string) => {
  try {
    new Intl.NumberFormat("en", { style: "currency", currency: code });
    return true;
  } catch {
    return false;
  }
};

export const brandSettingsSchema = z.object({
  brandName: z.string().trim().min(1, "errors.required").max(80, "errors.tooLong"),
  currency: z.string().trim().toUpperCase().length(3, "errors.currency").refine(isCurrency, "errors.currency"),
  timeZone: z.string().trim().min(1, "errors.required").refine(isTimeZone, "errors.timeZone"),
  primaryColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, "errors.color"),
});

const weight = z.coerce
  .number({ invalid_type_error: "errors.weight" })
  .min(0, "errors.weight")
  .max(10, "errors.weight")
  .multipleOf(0.5, "errors.weight");

/** How much each construct counts in the psychological loyalty score (DESIGN §3). */
export const constructWeightsSchema = z
  .object({ attachment: weight, preference: weight, continuity: weight, trust: weight, recommend: weight })
  .refine((w) => Object.values(w).some((v) => v > 0), { message: "errors.allWeightsZero", path: ["attachment"] });
