// The three CPM borders, as staff enter them (the same schema checks the browser form and the action).
import { z } from "zod";

const days = z.coerce
  .number({ invalid_type_error: "errors.wholeDays" })
  .int("errors.wholeDays")
  .min(1, "errors.wholeDays")
  .max(3650, "errors.wholeDays");

export const bordersSchema = z.object({
  tenureBorderDays: days,
  spendBorder: z.coerce
    .number({ invalid_type_error: "errors.positiveAmount" })
    .positive("errors.positiveAmount")
    .max(1e11, "errors.positiveAmount")
    .multipleOf(0.01, "errors.positiveAmount"),
  lapseBorderDays: days,
});
