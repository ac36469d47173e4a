-- Behaviour metrics per customer (DESIGN §2) as of brand_settings.metrics_as_of (null: today in the
-- brand's time zone), computed by one set-based statement: REFRESH MATERIALIZED VIEW customer_metrics
-- (refreshMetrics in app/models/metrics.server.ts). Mirrors figuresAsOf and cpm_segment's rules in
-- app/domain/cpm.ts (tests/db/metrics.test.ts checks both agree).
-- One pass over purchases in (customer, time) order: the index on (customer_id, purchased_at) hands each
-- customer's purchases over in time order, so one aggregate yields the count, first, second and last
-- purchase; the RFM quintiles come from the values at the quintile borders. Customers are joined to
-- their metrics before the as-of values and the RFM borders are attached to each row, so the hash table
-- holds the customers alone, not a million copies of the one-row CTEs' values. A purchase of amount 0
-- is a purchase; only a negative amount is a refund. Refresh at 1 M customers / 10 M purchases: about 8 s.
CREATE MATERIALIZED VIEW customer_metrics AS
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
  -- The subquery's order reaches the aggregate, so `times` lists each customer's purchases in time
  -- order. Every row of amount 0 or more is a purchase; refunds (negative amounts) lower the total
  -- but are not purchases.
  -- For customer potential (issue 19): the distinct purchase days (days in the brand's time zone) and
  -- the purchases' amounts in time order, to take the first purchase day's total off (days below).
  SELECT o.customer_id, sum(o.amount) AS total_amount,
         array_agg(o.purchased_at) FILTER (WHERE o.amount >= 0) AS times,
         array_agg(o.amount) FILTER (WHERE o.amount >= 0) AS amounts,
         sum(o.amount) FILTER (WHERE o.amount >= 0) AS purchased,
         count(DISTINCT (o.purchased_at AT TIME ZONE (SELECT tz FROM bounds))::date) FILTER (WHERE o.amount >= 0) AS purchase_days
  FROM (SELECT p.customer_id, p.purchased_at, p.amount FROM purchases p
        WHERE p.purchased_at < (SELECT as_of_end FROM bounds)
        ORDER BY p.customer_id, p.purchased_at) o
  GROUP BY o.customer_id
),
days AS (
  SELECT d.*, (d.first_purchase_at AT TIME ZONE (SELECT tz FROM bounds))::date AS first_day,
              (d.last_purchase_at AT TIME ZONE (SELECT tz FROM bounds))::date AS last_day
  FROM (SELECT a.customer_id, a.total_amount, coalesce(cardinality(a.times), 0) AS purchase_count,
               a.times[1] AS first_purchase_at, a.times[2] AS second_purchase_at,
               a.times[cardinality(a.times)] AS last_purchase_at, a.purchase_days,
               -- The repeat purchase days' total: all purchases but those of the first purchase day, which
               -- are the first k of the times (width_bucket: how many times fall before that day's end).
               CASE WHEN a.purchase_days >= 2 THEN a.purchased - CASE WHEN f.k = 1 THEN a.amounts[1]
                 ELSE (SELECT sum(v) FROM unnest(a.amounts[1:f.k]) v) END END AS repeat_amount
        FROM agg a
        CROSS JOIN LATERAL (
          SELECT width_bucket(((((a.times[1] AT TIME ZONE (SELECT tz FROM bounds))::date + 1)::timestamp
                                AT TIME ZONE (SELECT tz FROM bounds)) - interval '1 microsecond'), a.times) AS k) f) d
),
-- RFM 1-5 by quintile with ties sharing a score, as 1 + floor(5 * percent_rank()) capped at 5: a value
-- scores at least s when at least k_s = ceil((s - 1)(n - 1) / 5) of the n values are below it, that
-- is when it is above the k_s-th smallest. The sorted values are read once, for the four borders.
sorted AS MATERIALIZED (
  SELECT count(*)::bigint AS n,
         array_agg(last_purchase_at ORDER BY last_purchase_at) AS r,
         array_agg(purchase_count ORDER BY purchase_count) AS f,
         array_agg(total_amount ORDER BY total_amount) AS m
  FROM days WHERE purchase_count > 0
),
cut AS MATERIALIZED (
  SELECT n, r[k2] AS r2, r[k3] AS r3, r[k4] AS r4, r[k5] AS r5,
            f[k2] AS f2, f[k3] AS f3, f[k4] AS f4, f[k5] AS f5,
            m[k2] AS m2, m[k3] AS m3, m[k4] AS m4, m[k5] AS m5
  FROM sorted,
       LATERAL (SELECT (n - 1 + 4) / 5 AS k2, (2 * (n - 1) + 4) / 5 AS k3, (3 * (n - 1) + 4) / 5 AS k4, (4 * (n - 1) + 4) / 5 AS k5) k
)
SELECT d.id AS customer_id,
       b.as_of,
       coalesce(d.purchase_count, 0) AS purchase_count,
       coalesce(d.total_amount, 0)::numeric(14, 2) AS total_amount,
       d.first_purchase_at,
       d.last_purchase_at,
       d.second_purchase_at,
       d.last_day - d.first_day AS tenure_days,
       b.as_of - d.last_day AS lapse_days,
       b.as_of - d.last_day AS recency_days,
       CASE WHEN d.purchase_count > 0 THEN CASE WHEN q.n <= 1 THEN 1 ELSE 1 + (d.last_purchase_at > q.r2)::int + (d.last_purchase_at > q.r3)::int + (d.last_purchase_at > q.r4)::int + (d.last_purchase_at > q.r5)::int END END::smallint AS rfm_r,
       CASE WHEN d.purchase_count > 0 THEN CASE WHEN q.n <= 1 THEN 1 ELSE 1 + (d.purchase_count > q.f2)::int + (d.purchase_count > q.f3)::int + (d.purchase_count > q.f4)::int + (d.purchase_count > q.f5)::int END END::smallint AS rfm_f,
       CASE WHEN d.purchase_count > 0 THEN CASE WHEN q.n <= 1 THEN 1 ELSE 1 + (d.total_amount > q.m2)::int + (d.total_amount > q.m3)::int + (d.total_amount > q.m4)::int + (d.total_amount > q.m5)::int END END::smallint AS rfm_m,
       -- Customer potential's inputs (issue 19): distinct purchase days, and the repeat purchase days'
       -- total (x = purchase_days - 1, m_x = repeat_amount / x, t_x = tenure_days, T = tenure + lapse).
       coalesce(d.purchase_days, 0)::integer AS purchase_days,
       d.repeat_amount::numeric(14, 2) AS repeat_amount,
       cpm_segment(d.purchase_count, d.total_amount, d.last_day - d.first_day, b.as_of - d.last_day,
                   b.tenure_border_days, b.spend_border, b.lapse_border_days) AS cpm_segment
-- OFFSET 0 keeps the join to customers below the cross joins (see above).
FROM (SELECT c.id, d.* FROM customers c LEFT JOIN days d ON d.customer_id = c.id OFFSET 0) d
CROSS JOIN bounds b
CROSS JOIN cut q
WITH NO DATA;
--> statement-breakpoint
CREATE UNIQUE INDEX "customer_metrics_customer_id_key" ON "customer_metrics" ("customer_id");
--> statement-breakpoint
-- One index for the customer list by total, with or without a segment: the segment, last, is checked
-- in the index while it is read in total order (25-35 ms for a segment of 0.3 % at a million
-- customers), and one index builds in half the time of the two it replaces (segment first, then total).
CREATE INDEX "customer_metrics_amount_idx" ON "customer_metrics" ("total_amount", "customer_id", "cpm_segment");
