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

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Settings › Analysis date: the behaviour metrics as of today (the default) or a fixed date, for a brand
 * that loaded historical data or wants to look back. A fixed date is a real calendar day, not in the
 * future (there are no purchases to count yet) and not before 1900.
 */
export const analysisDateSchema = z
  .object({ analysisMode: z.enum(["today", "fixed"]), analysisDate: z.string().trim().optional() })
  .superRefine((value, ctx) => {
    if (value.analysisMode !== "fixed") return;
    const date = value.analysisDate ?? "";
    const parsed = new Date(`${date}T00:00:00Z`);
    if (!isoDate.test(date) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
      ctx.addIssue({ code: "custom", path: ["analysisDate"], message: "errors.analysisDate" });
    } else if (date < "1900-01-01" || parsed.getTime() > Date.now() + 86_400_000) {
      ctx.addIssue({ code: "custom", path: ["analysisDate"], message: "errors.analysisDateRange" });
    }
  });

/** The analysis date to store: the fixed date, or null for today. */
export const analysisDateOf = (value: z.output<typeof analysisDateSchema>) => (value.analysisMode === "fixed" ? value.analysisDate! : null);
