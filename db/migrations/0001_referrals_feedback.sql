CREATE TABLE "survey_responses" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"kind" text NOT NULL,
	"score" smallint NOT NULL,
	"comment" text,
	"order_id" text,
	"channel" text,
	"responded_at" timestamp with time zone NOT NULL,
	"request_hash" text NOT NULL,
	"points_earned" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_responses_merchant_id_id_pk" PRIMARY KEY("merchant_id","id"),
	CONSTRAINT "survey_responses_score_range" CHECK (("survey_responses"."kind" = 'nps' and "survey_responses"."score" between 0 and 10) or ("survey_responses"."kind" = 'csat' and "survey_responses"."score" between 1 and 5))
);
--> statement-breakpoint
CREATE TABLE "referral_clicks" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"code" text NOT NULL,
	"channel" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referral_clicks_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
CREATE TABLE "referral_codes" (
	"merchant_id" text NOT NULL,
	"code" text NOT NULL,
	"customer_id" text NOT NULL,
	"vanity" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referral_codes_merchant_id_code_pk" PRIMARY KEY("merchant_id","code")
);
--> statement-breakpoint
CREATE TABLE "referral_programs" (
	"merchant_id" text PRIMARY KEY NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	"referrer_reward" jsonb,
	"referee_reward" jsonb,
	"min_order_total" integer DEFAULT 0 NOT NULL,
	"hold_days" integer DEFAULT 14 NOT NULL,
	"attribution_window_days" integer DEFAULT 30 NOT NULL,
	"max_rewarded_per_referrer" jsonb,
	"link_template" text DEFAULT 'https://example.com/?ref={code}' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"merchant_id" text NOT NULL,
	"id" text NOT NULL,
	"code" text NOT NULL,
	"referrer_id" text NOT NULL,
	"referee_id" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"referee_email_normalized" text,
	"ip_hash" text,
	"device_hash" text,
	"payment_fingerprint" text,
	"order_id" text,
	"attributed_at" timestamp with time zone NOT NULL,
	"qualified_at" timestamp with time zone,
	"hold_until" timestamp with time zone,
	"rewarded_at" timestamp with time zone,
	"reversed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referrals_merchant_id_id_pk" PRIMARY KEY("merchant_id","id")
);
--> statement-breakpoint
CREATE INDEX "survey_responses_kind_time_idx" ON "survey_responses" USING btree ("merchant_id","kind","responded_at");--> statement-breakpoint
CREATE INDEX "survey_responses_customer_idx" ON "survey_responses" USING btree ("merchant_id","customer_id","kind","responded_at");--> statement-breakpoint
CREATE INDEX "referral_clicks_code_idx" ON "referral_clicks" USING btree ("merchant_id","code","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_codes_customer_key" ON "referral_codes" USING btree ("merchant_id","customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "referrals_live_referee_key" ON "referrals" USING btree ("merchant_id","referee_id") WHERE "referrals"."status" <> 'rejected';--> statement-breakpoint
CREATE INDEX "referrals_referrer_idx" ON "referrals" USING btree ("merchant_id","referrer_id","attributed_at");--> statement-breakpoint
CREATE INDEX "referrals_status_idx" ON "referrals" USING btree ("merchant_id","status","hold_until");--> statement-breakpoint
CREATE INDEX "referrals_code_idx" ON "referrals" USING btree ("merchant_id","code");