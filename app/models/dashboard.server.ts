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
               count(*)::int as purchases,
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

/** Revenue per calendar month (in the brand's time zone) for the last 12 months with data. */
export async function getMonthlyRevenue(timeZone: string, db: Db = getDb()) {
  return queryRows<{ month: string; revenue: number; purchases: number }>(
    sql`with months as (
          select to_char(date_trunc('month', purchased_at at time zone ${timeZone}), 'YYYY-MM') as month,
                 sum(amount)::float8 as revenue,
                 count(*)::int as purchases
            from purchases
           where purchased_at >= (select max(purchased_at) from purchases) - interval '12 months'
           group by 1)
        select * from months order by month`,
    db,
  );
}
