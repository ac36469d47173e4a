-- Each customer's potential (issue 19) as of the current fits, with x = purchase_days - 1, t_x =
-- tenure_days and T = tenure_days + lapse_days (days, from customer_metrics):
-- - p_alive, BG/NBD's closed form 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)),
--   worked out in logs so that no power overflows (exp is never asked beyond +-700);
-- - expected_purchases_90d = p_alive * E[Y(90) | alive, x, T], the second factor from
--   potential_predictions (one row per distinct (x, T): the part that needs the 2F1 function);
-- - expected_value_90d = that times the Gamma-Gamma expected spend per purchase day,
--   E[M | x, m_x] = p (gamma + x m_x) / (p x + q - 1), or for x = 0 the population mean p gamma / (q - 1);
--   null without a spend model.
-- Refreshed by storePredictions (app/models/potential.server.ts) after every refit. Customers without a
-- purchase day have no row. Money as float8: a prediction, rounded where shown; the segment is copied so
-- that potential_summary needs no join.
CREATE MATERIALIZED VIEW customer_potential AS
SELECT a.customer_id,
       a.as_of,
       a.cpm_segment,
       a.p_alive,
       a.p_alive * pr.expected_if_alive AS expected_purchases_90d,
       (a.p_alive * pr.expected_if_alive *
        CASE WHEN a.x >= 1 AND a.repeat_amount > 0 THEN a.p * (a.gamma + a.repeat_amount) / (a.p * a.x + a.q - 1)
             ELSE a.p * a.gamma / (a.q - 1) END) AS expected_value_90d
FROM (
  SELECT c.*, CASE WHEN c.odds IS NULL OR c.odds < -700 THEN 1 WHEN c.odds > 700 THEN 0 ELSE 1 / (1 + exp(c.odds)) END AS p_alive
  FROM (
    SELECT m.customer_id, m.cpm_segment, m.purchase_days - 1 AS x, m.tenure_days + m.lapse_days AS t,
           m.repeat_amount::float8 AS repeat_amount, s.as_of, s.p, s.q, s.gamma,
           CASE WHEN m.purchase_days = 1 THEN NULL
                ELSE ln(s.a / (s.b + m.purchase_days - 2)) + (s.r + m.purchase_days - 1)
                     * ln((s.alpha + m.tenure_days + m.lapse_days) / (s.alpha + m.tenure_days)) END AS odds
    FROM customer_metrics m
    -- One row (LIMIT 1 tells the planner so): the current fits' parameters.
    CROSS JOIN (
      SELECT st.as_of, (bg.params ->> 'r')::float8 AS r, (bg.params ->> 'alpha')::float8 AS alpha,
             (bg.params ->> 'a')::float8 AS a, (bg.params ->> 'b')::float8 AS b,
             (gg.params ->> 'p')::float8 AS p, (gg.params ->> 'q')::float8 AS q, (gg.params ->> 'gamma')::float8 AS gamma
      FROM potential_state st
      JOIN potential_fits bg ON bg.id = st.bgnbd_fit_id
      LEFT JOIN potential_fits gg ON gg.id = st.gamma_gamma_fit_id
      WHERE st.id = 1 LIMIT 1
    ) s
    WHERE m.purchase_days > 0
  ) c
) a
JOIN potential_predictions pr ON pr.x = a.x AND pr.t = a.t
WITH NO DATA;
--> statement-breakpoint
CREATE UNIQUE INDEX "customer_potential_customer_id_key" ON "customer_potential" ("customer_id");
--> statement-breakpoint
-- The lapsed-loyal follow-up list (DESIGN §2's first priority, by p_alive, highest first) walks this
-- index. Only this one besides the key: each index is rebuilt at every refit (an index on the segment and
-- p_alive of everyone took 1.7 s at a million), so lists sorted by p_alive or value over other segments or
-- all customers sort their rows instead (a few hundred ms at a million; README, Performance).
CREATE INDEX "customer_potential_follow_up_idx" ON "customer_potential" ("p_alive", "customer_id") WHERE cpm_segment = 'loyal_lapsed';
