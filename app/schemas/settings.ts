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
