DROP INDEX "purchases_dedupe_key";--> statement-breakpoint
CREATE UNIQUE INDEX "purchases_customer_dedupe_key" ON "purchases" USING btree ("customer_id","dedupe_key");