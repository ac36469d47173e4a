-- Customer potential's Gamma-Gamma input (issue 19): the distinct (x, x m_x) of the customers with a
-- repeat purchase day and spend on them (x m_x: the repeat purchase days' total), and how many share each.
-- Grouped with the behaviour refresh, right after customer_metrics, like potential_frequency.
CREATE MATERIALIZED VIEW potential_spend AS
SELECT purchase_days - 1 AS x, repeat_amount::float8 AS z, count(*)::integer AS n
FROM customer_metrics
WHERE purchase_days >= 2 AND repeat_amount > 0
GROUP BY 1, 2
WITH NO DATA;
--> statement-breakpoint
CREATE UNIQUE INDEX "potential_spend_key" ON "potential_spend" ("x", "z");
