ALTER TABLE "referrals" ALTER COLUMN "referrer_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "attributed_order_id" text;--> statement-breakpoint
CREATE INDEX "referrals_order_idx" ON "referrals" USING btree ("merchant_id","order_id");--> statement-breakpoint
CREATE INDEX "referrals_attributed_order_idx" ON "referrals" USING btree ("merchant_id","attributed_order_id");