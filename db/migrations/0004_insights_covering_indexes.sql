DROP INDEX "survey_responses_customer_idx";--> statement-breakpoint
DROP INDEX "orders_customer_paid_idx";--> statement-breakpoint
CREATE INDEX "survey_responses_customer_idx" ON "survey_responses" USING btree ("merchant_id","customer_id","kind","responded_at","id","score");--> statement-breakpoint
CREATE INDEX "orders_customer_paid_idx" ON "orders" USING btree ("merchant_id","customer_id","paid_at","total");