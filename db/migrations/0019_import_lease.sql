-- Import jobs hold a lease that the importing process's heartbeat renews; a running job whose lease ran
-- out is marked failed ("interrupted") by whoever lists or opens jobs, on either database (issue 14).
ALTER TABLE "import_jobs" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "import_jobs_running_lease_idx" ON "import_jobs" USING btree ("lease_until") WHERE "import_jobs"."status" = 'running';--> statement-breakpoint
-- Jobs the embedded database's start-up marked failed before: the same reason as an expired lease now.
UPDATE "import_jobs" SET "file_error" = '{"reason":"interrupted"}'
 WHERE "status" = 'failed' AND "file_error"->>'message' LIKE 'interrupted:%';
