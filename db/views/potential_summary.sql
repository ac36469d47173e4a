-- Each CPM segment's expected 90-day value and mean p_alive (the matrix's cells, issue 19): a few rows
-- instead of a scan of a million. Refreshed right after customer_potential (storePredictions).
CREATE MATERIALIZED VIEW potential_summary AS
SELECT p.cpm_segment, count(*)::integer AS customers, sum(p.expected_value_90d) AS expected_value,
       avg(p.p_alive) AS mean_p_alive, sum(p.expected_purchases_90d) AS expected_purchases
FROM customer_potential p
GROUP BY p.cpm_segment
WITH NO DATA;
--> statement-breakpoint
CREATE UNIQUE INDEX "potential_summary_segment_key" ON "potential_summary" ("cpm_segment");
