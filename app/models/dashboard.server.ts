// Headline figures for the dashboard, each one set-based statement.
import { sql } from "drizzle-orm";
import { getDb, queryRows, type Db } from "../../db/client.server";

export interface DashboardSummary {
  customers: number;
  purchases: number;
  revenue: string;
  lastPurchaseAt: Date | null;
}

export async function getDashboardSummary(db: Db = getDb()): Promise<DashboardSummary> {
  const [row] = await queryRows<{ customers: number; purchases: number; revenue: string; last_purchase_at: Date | string | null }>(
    sql`select (select count(*)::int from customers) as customers,
               -- A refund (negative amount) lowers revenue but is not a purchase; ¥0 is one.
               (count(*) filter (where amount >= 0))::int as purchases,
               coalesce(sum(amount), 0)::text as revenue,
               max(purchased_at) as last_purchase_at
          from purchases`,
    db,
  );
  return {
    customers: row.customers,
    purchases: row.purchases,
    revenue: row.revenue,
    lastPurchaseAt: row.last_purchase_at ? new Date(row.last_purchase_at) : null,
  };
}

/**
 * Revenue per calendar month (in the brand's time zone) for the last 12 months with data. The last month
 * is `partial` when the data stops before its last day (the current month, or a load that ends mid-month):
 * the chart marks it as month to date rather than letting it read as a collapse.
 */
export async function getMonthlyRevenue(timeZone: string, db: Db = getDb()) {
  return queryRows<{ month: string; revenue: number; purchases: number; partial: boolean; through: string }>(
    sql`with last as (select max(purchased_at) as at, (max(purchased_at) at time zone ${timeZone})::date as day from purchases),
        months as (
          select to_char(date_trunc('month', purchased_at at time zone ${timeZone}), 'YYYY-MM') as month,
                 sum(amount)::float8 as revenue,
                 (count(*) filter (where amount >= 0))::int as purchases
            from purchases
           where purchased_at >= (select at from last) - interval '12 months'
           group by 1)
        select m.*, m.month = to_char(l.day, 'YYYY-MM')
                      and l.day < (date_trunc('month', l.day) + interval '1 month - 1 day')::date as partial,
               l.day::text as through
        from months m cross join last l
        order by m.month`,
    db,
  );
}
