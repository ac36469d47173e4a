-- Small summaries of customer_metrics that the matrix and cohort pages read, refreshed right after it
-- (app/models/metrics.server.ts): a page reads a few dozen rows instead of scanning a million.
CREATE MATERIALIZED VIEW "segment_summary" AS
SELECT cpm_segment, count(*)::integer AS customers, sum(total_amount) AS total_amount
FROM customer_metrics
WHERE cpm_segment IS NOT NULL
GROUP BY cpm_segment
WITH NO DATA;
--> statement-breakpoint
CREATE UNIQUE INDEX "segment_summary_segment_key" ON "segment_summary" ("cpm_segment");
--> statement-breakpoint
-- Transition rate: a second purchase fewer than lapse_border_days after the first.
CREATE MATERIALIZED VIEW "cohort_summary" AS
WITH s AS (SELECT time_zone AS tz, lapse_border_days AS border FROM brand_settings WHERE id = 1)
SELECT date_trunc('month', m.first_purchase_at AT TIME ZONE s.tz)::date AS month,
       count(*)::integer AS customers,
       (count(*) FILTER (WHERE m.second_purchase_at IS NOT NULL
          AND (m.second_purchase_at AT TIME ZONE s.tz)::date - (m.first_purchase_at AT TIME ZONE s.tz)::date < s.border))::integer AS converted
FROM customer_metrics m CROSS JOIN s
WHERE m.first_purchase_at IS NOT NULL
GROUP BY 1
WITH NO DATA;
--> statement-breakpoint
CREATE UNIQUE INDEX "cohort_summary_month_key" ON "cohort_summary" ("month");
--> statement-breakpoint
REFRESH MATERIALIZED VIEW "segment_summary";
--> statement-breakpoint
REFRESH MATERIALIZED VIEW "cohort_summary";
