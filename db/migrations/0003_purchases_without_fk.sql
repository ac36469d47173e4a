ALTER TABLE "purchases" DROP CONSTRAINT "purchases_customer_id_customers_id_fk";
