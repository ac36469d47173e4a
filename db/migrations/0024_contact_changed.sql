ALTER TABLE "customers" ADD COLUMN "contact_changed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "customers_contact_changed_idx" ON "customers" USING btree ("contact_changed_at") WHERE "customers"."contact_changed_at" is not null;--> statement-breakpoint
-- Stamps contact_changed_at whenever whether we may write to the customer can have changed, whichever
-- path changed it (the unsubscribe link, a customer import, a staff edit). The WHEN clause keeps the
-- function call off every other update (an import that rewrites a million unchanged rows).
CREATE FUNCTION customers_contact_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.contact_changed_at := clock_timestamp();
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER customers_contact_changed
  BEFORE UPDATE OF marketing_consent, unsubscribed_at, email ON customers
  FOR EACH ROW
  WHEN ((OLD.marketing_consent, OLD.unsubscribed_at, OLD.email) IS DISTINCT FROM (NEW.marketing_consent, NEW.unsubscribed_at, NEW.email))
  EXECUTE FUNCTION customers_contact_changed();
