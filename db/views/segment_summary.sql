-- Customers and spend per CPM segment, for the matrix page: a few rows instead of a scan of a million.
-- Refreshed right after customer_metrics (refreshMetrics in app/models/metrics.server.ts).
CREATE MATERIALIZED VIEW "segment_summary" AS
SELECT cpm_segment, count(*)::integer AS customers, sum(total_amount) AS total_amount
FROM customer_metrics
WHERE cpm_segment IS NOT NULL
GROUP BY cpm_segment
WITH NO DATA;
--> statement-breakpoint
CREATE UNIQUE INDEX "segment_summary_segment_key" ON "segment_summary" ("cpm_segment");
