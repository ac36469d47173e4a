// The customer-potential validation form (/staff/behaviour/potential): the browser form and the action
// check the hold-out with this same schema.
import { z } from "zod";

/** The hold-out's bounds, in whole days (the message potentialPage.errors.holdoutDays names them). */
export const HOLDOUT_MIN_DAYS = 7;
export const HOLDOUT_MAX_DAYS = 365;

export const validationSchema = z.object({
  holdoutDays: z.coerce
    .number({ invalid_type_error: "potentialPage.errors.holdoutDays" })
    .int("potentialPage.errors.holdoutDays")
    .min(HOLDOUT_MIN_DAYS, "potentialPage.errors.holdoutDays")
    .max(HOLDOUT_MAX_DAYS, "potentialPage.errors.holdoutDays"),
});

export type ValidationForm = z.infer<typeof validationSchema>;
