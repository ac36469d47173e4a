-- A purchase of amount 0 is a purchase (issue 13): a fully discounted order, an order paid entirely
-- with loyalty points, a free item. It counts in purchase_count, adds nothing to the total and sets the
-- first, second and last purchase; only a negative amount is a refund. Until now `amount > 0` left a
-- customer whose only rows were ¥0 without a segment, so they vanished from the matrix. Mirrors
-- figuresAsOf in app/domain/cpm.ts (tests/db/metrics.test.ts checks both agree). Otherwise as 0014; the
-- views that read customer_metrics are dropped and recreated unchanged (from 0014 and 0015).
DROP MATERIALIZED VIEW survey_month_stats;
--> statement-breakpoint
DROP MATERIALIZED VIEW survey_answer_stats;
--> statement-breakpoint
DROP MATERIALIZED VIEW survey_alpha_stats;
--> statement-breakpoint
DROP MATERIALIZED VIEW survey_stats;
--> statement-breakpoint
DROP MATERIALIZED VIEW cohort_summary;
--> statement-breakpoint
DROP MATERIALIZED VIEW segment_summary;
--> statement-breakpoint
DROP MATERIALIZED VIEW customer_metrics;
--> statement-breakpoint
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
  SELECT o.customer_id, sum(o.amount) AS total_amount,
         array_agg(o.purchased_at) FILTER (WHERE o.amount >= 0) AS times
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
               a.times[cardinality(a.times)] AS last_purchase_at
        FROM agg a) d
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
--> statement-breakpoint
REFRESH MATERIALIZED VIEW "customer_metrics";
--> statement-breakpoint
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
--> statement-breakpoint
CREATE MATERIALIZED VIEW survey_stats AS
SELECT r.survey_id,
  CASE WHEN r.customer_id IS NULL THEN '' ELSE coalesce(m.cpm_segment, 'none') END AS segment,
  count(*)::int AS responses,
  count(*) FILTER (WHERE r.nps_category = 'promoter')::int AS promoters,
  count(*) FILTER (WHERE r.nps_category = 'passive')::int AS passives,
  count(*) FILTER (WHERE r.nps_category = 'detractor')::int AS detractors,
  ARRAY[count(*) FILTER (WHERE r.nps_score = 0), count(*) FILTER (WHERE r.nps_score = 1), count(*) FILTER (WHERE r.nps_score = 2), count(*) FILTER (WHERE r.nps_score = 3), count(*) FILTER (WHERE r.nps_score = 4), count(*) FILTER (WHERE r.nps_score = 5), count(*) FILTER (WHERE r.nps_score = 6), count(*) FILTER (WHERE r.nps_score = 7), count(*) FILTER (WHERE r.nps_score = 8), count(*) FILTER (WHERE r.nps_score = 9), count(*) FILTER (WHERE r.nps_score = 10)]::int[] AS nps_dist,
  sum(r.psych_score)::float8 AS psych_sum,
  count(r.psych_score)::int AS psych_n,
  sum((r.construct_scores->>'attachment')::float8) AS attachment_sum,
  count(r.construct_scores->'attachment')::int AS attachment_n,
  sum((r.construct_scores->>'preference')::float8) AS preference_sum,
  count(r.construct_scores->'preference')::int AS preference_n,
  sum((r.construct_scores->>'continuity')::float8) AS continuity_sum,
  count(r.construct_scores->'continuity')::int AS continuity_n,
  sum((r.construct_scores->>'trust')::float8) AS trust_sum,
  count(r.construct_scores->'trust')::int AS trust_n,
  sum((r.construct_scores->>'recommend')::float8) AS recommend_sum,
  count(r.construct_scores->'recommend')::int AS recommend_n,
  sum((r.construct_scores->>'share_of_wallet')::float8) AS share_of_wallet_sum,
  count(r.construct_scores->'share_of_wallet')::int AS share_of_wallet_n,
  sum((r.construct_scores->>'ambassador_interest')::float8) AS ambassador_interest_sum,
  count(r.construct_scores->'ambassador_interest')::int AS ambassador_interest_n,
  sum((r.construct_scores->>'cocreation_interest')::float8) AS cocreation_interest_sum,
  count(r.construct_scores->'cocreation_interest')::int AS cocreation_interest_n
FROM survey_responses r
LEFT JOIN customer_metrics m ON m.customer_id = r.customer_id
GROUP BY 1, 2;
--> statement-breakpoint
CREATE UNIQUE INDEX survey_stats_key ON survey_stats (survey_id, segment);
--> statement-breakpoint
-- Per slot: the count, sum and sum of squares Cronbach's alpha needs (complete constructs only).
CREATE MATERIALIZED VIEW survey_alpha_stats AS
SELECT r.survey_id,
  CASE WHEN r.customer_id IS NULL THEN '' ELSE coalesce(m.cpm_segment, 'none') END AS segment,
  u.pos::int AS pos,
  count(*)::int AS n,
  sum(u.v)::float8 AS s,
  sum(u.v * u.v)::float8 AS ss
FROM survey_responses r
LEFT JOIN customer_metrics m ON m.customer_id = r.customer_id
CROSS JOIN LATERAL unnest(r.loyalty_scores) WITH ORDINALITY AS u(v, pos)
WHERE r.loyalty_scores IS NOT NULL AND u.v IS NOT NULL
GROUP BY 1, 2, 3;
--> statement-breakpoint
CREATE UNIQUE INDEX survey_alpha_stats_key ON survey_alpha_stats (survey_id, segment, pos);
--> statement-breakpoint
-- Every question's answers counted per value, per segment and NPS category (so a choice question can be
-- crossed with either). Scale and single-choice answers count under their value; a multiple-choice
-- answer under each chosen option and once under '' (its respondents, of whom the shares are); a text
-- answer under '' alone. One pass over each response's answers (jsonb_each), the chosen options in a
-- second branch; refreshed with sorting off so the few hundred groups are hashed, not 12 M rows sorted
-- (refreshSurveyStats).
CREATE MATERIALIZED VIEW survey_answer_stats AS
SELECT survey_id, segment, nps_category, key, value, count(*)::int AS n
FROM (
  SELECT r.survey_id,
    CASE WHEN r.customer_id IS NULL THEN '' ELSE coalesce(m.cpm_segment, 'none') END AS segment,
    coalesce(r.nps_category, '') AS nps_category,
    a.key,
    CASE WHEN q.type IN ('multiple', 'short_text', 'long_text') THEN '' ELSE a.value #>> '{}' END AS value
  FROM survey_responses r
  CROSS JOIN LATERAL jsonb_each(r.answers) a
  JOIN survey_questions q ON q.survey_id = r.survey_id AND q.key = a.key
  LEFT JOIN customer_metrics m ON m.customer_id = r.customer_id
  UNION ALL
  SELECT r.survey_id,
    CASE WHEN r.customer_id IS NULL THEN '' ELSE coalesce(m.cpm_segment, 'none') END,
    coalesce(r.nps_category, ''),
    q.key,
    jsonb_array_elements_text(r.answers->q.key)
  FROM survey_responses r
  JOIN survey_questions q ON q.survey_id = r.survey_id AND q.type = 'multiple'
  LEFT JOIN customer_metrics m ON m.customer_id = r.customer_id
  WHERE jsonb_typeof(r.answers->q.key) = 'array'
) u
GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
CREATE UNIQUE INDEX survey_answer_stats_key ON survey_answer_stats (survey_id, segment, nps_category, key, value);
--> statement-breakpoint
-- NPS by month across surveys (in the brand's time zone), per segment.
CREATE MATERIALIZED VIEW survey_month_stats AS
SELECT to_char(date_trunc('month', r.submitted_at AT TIME ZONE coalesce(b.time_zone, 'Asia/Tokyo')), 'YYYY-MM') AS month,
  CASE WHEN r.customer_id IS NULL THEN '' ELSE coalesce(m.cpm_segment, 'none') END AS segment,
  count(*)::int AS responses,
  count(*) FILTER (WHERE r.nps_category = 'promoter')::int AS promoters,
  count(*) FILTER (WHERE r.nps_category = 'detractor')::int AS detractors
FROM survey_responses r
LEFT JOIN customer_metrics m ON m.customer_id = r.customer_id
LEFT JOIN brand_settings b ON b.id = 1
WHERE r.nps_category IS NOT NULL
GROUP BY 1, 2;
--> statement-breakpoint
CREATE UNIQUE INDEX survey_month_stats_key ON survey_month_stats (month, segment);
