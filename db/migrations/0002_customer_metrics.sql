-- Behaviour metrics per customer (DESIGN §2), as of brand_settings.metrics_as_of, computed by one
-- set-based statement: REFRESH MATERIALIZED VIEW customer_metrics (app/models/metrics.server.ts).

-- The settings row the metrics read their borders and date from always exists.
INSERT INTO "brand_settings" ("id") VALUES (1) ON CONFLICT ("id") DO NOTHING;
--> statement-breakpoint

-- The CPM segment of one customer. A single SQL expression, so the planner inlines it.
-- Mirrors app/domain/cpm.ts (a database test checks that both agree).
CREATE OR REPLACE FUNCTION cpm_segment(
  purchase_count integer, total_amount numeric, tenure_days integer, lapse_days integer,
  tenure_border integer, spend_border numeric, lapse_border integer
) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN purchase_count IS NULL OR purchase_count < 1 THEN NULL ELSE
    CASE
      WHEN purchase_count = 1 THEN 'first'
      WHEN total_amount >= spend_border THEN CASE WHEN tenure_days >= tenure_border THEN 'loyal' ELSE 'trendy' END
      ELSE CASE WHEN tenure_days >= tenure_border THEN 'steady' ELSE 'toddler' END
    END || CASE WHEN lapse_days < lapse_border THEN '_active' ELSE '_lapsed' END
  END
$$;
--> statement-breakpoint

CREATE MATERIALIZED VIEW "customer_metrics" AS
WITH params AS (
  SELECT coalesce(s.metrics_as_of, (now() AT TIME ZONE s.time_zone)::date) AS as_of,
         s.time_zone AS tz, s.tenure_border_days, s.spend_border, s.lapse_border_days
  FROM brand_settings s WHERE s.id = 1
),
bounds AS (
  -- Purchases up to the end of the as-of day in the brand's time zone count.
  SELECT *, ((as_of + 1)::timestamp AT TIME ZONE tz) AS as_of_end FROM params
),
agg AS (
  -- Refunds (negative amounts) lower the total but are not purchases.
  SELECT p.customer_id,
         (count(*) FILTER (WHERE p.amount > 0))::integer AS purchase_count,
         sum(p.amount) AS total_amount,
         min(p.purchased_at) FILTER (WHERE p.amount > 0) AS first_purchase_at,
         max(p.purchased_at) FILTER (WHERE p.amount > 0) AS last_purchase_at
  FROM purchases p
  WHERE p.purchased_at < (SELECT as_of_end FROM bounds)
  GROUP BY p.customer_id
),
days AS (
  SELECT a.*,
         ((a.last_purchase_at AT TIME ZONE b.tz)::date - (a.first_purchase_at AT TIME ZONE b.tz)::date) AS tenure_days,
         (b.as_of - (a.last_purchase_at AT TIME ZONE b.tz)::date) AS lapse_days
  FROM agg a CROSS JOIN bounds b
)
SELECT c.id AS customer_id,
       b.as_of,
       coalesce(d.purchase_count, 0) AS purchase_count,
       coalesce(d.total_amount, 0)::numeric(14, 2) AS total_amount,
       d.first_purchase_at,
       d.last_purchase_at,
       second.purchased_at AS second_purchase_at,
       d.tenure_days,
       d.lapse_days,
       d.lapse_days AS recency_days,
       -- RFM 1–5 by quintile; ties share a score (percent_rank), the lowest values score 1.
       CASE WHEN d.purchase_count > 0 THEN least(5, 1 + floor(5 * percent_rank() OVER (PARTITION BY d.purchase_count > 0 ORDER BY d.last_purchase_at)))::smallint END AS rfm_r,
       CASE WHEN d.purchase_count > 0 THEN least(5, 1 + floor(5 * percent_rank() OVER (PARTITION BY d.purchase_count > 0 ORDER BY d.purchase_count)))::smallint END AS rfm_f,
       CASE WHEN d.purchase_count > 0 THEN least(5, 1 + floor(5 * percent_rank() OVER (PARTITION BY d.purchase_count > 0 ORDER BY d.total_amount)))::smallint END AS rfm_m,
       cpm_segment(d.purchase_count, d.total_amount, d.tenure_days, d.lapse_days,
                   b.tenure_border_days, b.spend_border, b.lapse_border_days) AS cpm_segment
FROM customers c
CROSS JOIN bounds b
LEFT JOIN days d ON d.customer_id = c.id
LEFT JOIN LATERAL (
  SELECT p2.purchased_at FROM purchases p2
  WHERE d.purchase_count >= 2 AND p2.customer_id = c.id AND p2.amount > 0 AND p2.purchased_at < b.as_of_end
  ORDER BY p2.purchased_at OFFSET 1 LIMIT 1
) second ON true
WITH NO DATA;
--> statement-breakpoint
CREATE UNIQUE INDEX "customer_metrics_customer_id_key" ON "customer_metrics" ("customer_id");
--> statement-breakpoint
CREATE INDEX "customer_metrics_segment_amount_idx" ON "customer_metrics" ("cpm_segment", "total_amount", "customer_id");
--> statement-breakpoint
CREATE INDEX "customer_metrics_amount_idx" ON "customer_metrics" ("total_amount", "customer_id");
--> statement-breakpoint
REFRESH MATERIALIZED VIEW "customer_metrics";
