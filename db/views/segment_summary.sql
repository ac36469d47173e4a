-- Customers and spend per CPM segment, for the matrix page: a few rows instead of a scan of a million.
-- Refreshed right after customer_metrics (refreshMetrics in app/models/metrics.server.ts). The row with
-- a null segment counts the customers without a purchase yet (the loyalty matrix's "not yet asked").
CREATE MATERIALIZED VIEW "segment_summary" AS
SELECT cpm_segment, count(*)::integer AS customers, sum(total_amount) AS total_amount
FROM customer_metrics
GROUP BY cpm_segment
WITH NO DATA;
--> statement-breakpoint
CREATE UNIQUE INDEX "segment_summary_segment_key" ON "segment_summary" ("cpm_segment");
