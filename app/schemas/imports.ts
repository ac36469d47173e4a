import { z } from "zod";

export const importUploadSchema = z.object({
  kind: z.enum(["customers", "purchases"], { errorMap: () => ({ message: "imports.chooseKind" }) }),
  mode: z.enum(["all_or_nothing", "valid_only"]).default("all_or_nothing"),
});
