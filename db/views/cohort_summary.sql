-- First-time buyers per month and how many of them came back, for the cohort page. Refreshed right
-- after customer_metrics (refreshMetrics in app/models/metrics.server.ts).
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
