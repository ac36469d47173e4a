-- Revenue per calendar month in the brand's time zone (the dashboard's revenue chart), one row per month
-- with data: the chart reads the last twelve instead of scanning purchases on every view. Refreshed with
-- the behaviour metrics (refreshMetrics), after imports and daily; the time zone it was computed in is
-- kept on each row, and the dashboard computes live when the brand's time zone has changed since.
-- A refund (negative amount) lowers revenue but is not a purchase; ¥0 is one.
CREATE MATERIALIZED VIEW monthly_revenue AS
SELECT s.time_zone,
  date_trunc('month', p.purchased_at AT TIME ZONE s.time_zone)::date AS month,
  sum(p.amount)::numeric(16, 2) AS revenue,
  (count(*) FILTER (WHERE p.amount >= 0))::int AS purchases,
  max(p.purchased_at) AS last_purchase_at
FROM purchases p
CROSS JOIN (SELECT time_zone FROM brand_settings WHERE id = 1) s
GROUP BY 1, 2
WITH NO DATA;
--> statement-breakpoint
CREATE UNIQUE INDEX monthly_revenue_month ON monthly_revenue (month);
