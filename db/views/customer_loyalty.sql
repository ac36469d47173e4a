-- Both axes per customer who has answered a survey (DESIGN §4, issue 16): the latest loyalty score and
-- the latest NPS answer by their own "latest" rules (app/domain/survey/latest.ts), the latest answer to
-- each interest question read as yes / maybe / no (interestOf in app/domain/loyalty.ts: a choice's value,
-- or a scale item's position in thirds, in whole numbers), the characters of open text they wrote, and
-- their behaviour metrics with the RFM behaviour score (behaviourScore). The loyalty matrix and the
-- candidate lists read it; quadrants and rank scores are computed from it with the brand's current
-- settings when read, so changing a border needs no refresh. Refreshed CONCURRENTLY with the survey
-- statistics (refreshSurveyStats), which run when responses or the behaviour metrics changed. The
-- loyalty matrix reads loyalty_grid, its counts per segment, behaviour score and whole score.
-- tests/db/loyalty.test.ts checks it against the domain's rules customer by customer.
CREATE MATERIALIZED VIEW customer_loyalty AS
WITH answered AS (
  SELECT r.customer_id, max(r.submitted_at) AS last_answered_at
  FROM survey_responses r WHERE r.customer_id IS NOT NULL
  GROUP BY r.customer_id
),
latest_psych AS (
  SELECT DISTINCT ON (r.customer_id) r.customer_id, r.psych_score
  FROM survey_responses r WHERE r.customer_id IS NOT NULL AND r.psych_score IS NOT NULL
  ORDER BY r.customer_id, r.submitted_at DESC, r.id DESC
),
latest_nps AS (
  SELECT DISTINCT ON (r.customer_id) r.customer_id, r.nps_score, r.nps_category
  FROM survey_responses r WHERE r.customer_id IS NOT NULL AND r.nps_score IS NOT NULL
  ORDER BY r.customer_id, r.submitted_at DESC, r.id DESC
),
interest_answers AS (
  SELECT r.customer_id, q.construct, r.submitted_at, r.id,
    CASE
      WHEN q.type = 'single' THEN
        CASE WHEN r.answers->>q.key IN ('yes', 'maybe', 'no') THEN r.answers->>q.key END
      WHEN jsonb_typeof(r.answers->q.key) = 'number' AND (r.answers->>q.key) ~ '^-?[0-9]+$' THEN (
        SELECT CASE WHEN v < lo OR v > hi THEN NULL
                    WHEN 3 * (v - lo) >= 2 * (hi - lo) THEN 'yes'
                    WHEN 3 * (v - lo) <= hi - lo THEN 'no'
                    ELSE 'maybe' END
        FROM (SELECT (r.answers->>q.key)::int AS v,
                     CASE WHEN q.type = 'nps' THEN 0 ELSE 1 END AS lo,
                     CASE WHEN q.type = 'nps' THEN 10 ELSE coalesce((q.definition->>'points')::int, 5) END AS hi) p)
    END AS interest
  FROM survey_questions q
  JOIN survey_responses r ON r.survey_id = q.survey_id AND r.customer_id IS NOT NULL AND r.answers ? q.key
  WHERE q.construct IN ('ambassador_interest', 'cocreation_interest')
),
latest_interest AS (
  SELECT DISTINCT ON (a.customer_id, a.construct) a.customer_id, a.construct, a.interest
  FROM interest_answers a WHERE a.interest IS NOT NULL
  ORDER BY a.customer_id, a.construct, a.submitted_at DESC, a.id DESC
),
texts AS (
  SELECT r.customer_id, sum(char_length(btrim(r.answers->>q.key)))::int AS chars
  FROM survey_questions q
  JOIN survey_responses r ON r.survey_id = q.survey_id AND r.customer_id IS NOT NULL AND r.answers ? q.key
  WHERE q.type IN ('short_text', 'long_text') AND jsonb_typeof(r.answers->q.key) = 'string'
  GROUP BY r.customer_id
)
SELECT a.customer_id,
  lp.psych_score,
  ln.nps_score,
  ln.nps_category,
  ai.interest AS ambassador_interest,
  ci.interest AS cocreation_interest,
  coalesce(t.chars, 0) AS text_chars,
  a.last_answered_at,
  m.cpm_segment,
  coalesce(m.purchase_count, 0) AS purchase_count,
  coalesce(m.total_amount, 0)::numeric(14, 2) AS total_amount,
  m.tenure_days,
  m.lapse_days,
  m.rfm_r,
  m.rfm_f,
  m.rfm_m,
  round(((m.rfm_r + m.rfm_f + m.rfm_m - 3) / 12.0 * 100)::numeric, 1)::float8 AS behaviour_score,
  -- Whether we may write to them, as of the refresh; the lists correct it live for the customers whose
  -- contact_changed_at is later than computed_at (app/models/loyalty.server.ts, reachableSql).
  (c.marketing_consent AND c.unsubscribed_at IS NULL AND c.email IS NOT NULL) AS reachable,
  now() AS computed_at
FROM answered a
JOIN customers c ON c.id = a.customer_id
LEFT JOIN latest_psych lp ON lp.customer_id = a.customer_id
LEFT JOIN latest_nps ln ON ln.customer_id = a.customer_id
LEFT JOIN latest_interest ai ON ai.customer_id = a.customer_id AND ai.construct = 'ambassador_interest'
LEFT JOIN latest_interest ci ON ci.customer_id = a.customer_id AND ci.construct = 'cocreation_interest'
LEFT JOIN texts t ON t.customer_id = a.customer_id
LEFT JOIN customer_metrics m ON m.customer_id = a.customer_id
WITH NO DATA;
--> statement-breakpoint
CREATE UNIQUE INDEX customer_loyalty_customer ON customer_loyalty (customer_id);
--> statement-breakpoint
CREATE INDEX customer_loyalty_psych ON customer_loyalty (psych_score) WHERE psych_score IS NOT NULL;
--> statement-breakpoint
-- The ambassador list's requirements that do not depend on settings (a promoter, a repeat buyer, an
-- active segment): its ranking reads these 5,600 rows instead of every score above the minimum (38,000
-- at 255,000 respondents), 61 → 28 ms. The predicate is written as in loyalty.server.ts's qualifies,
-- which the planner must match to use it.
CREATE INDEX customer_loyalty_ambassador ON customer_loyalty (psych_score)
  WHERE nps_category = 'promoter' AND purchase_count >= 2 AND cpm_segment LIKE '%\_active';
