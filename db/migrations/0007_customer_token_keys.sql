ALTER TABLE "merchants" ADD COLUMN "token_key_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "merchants" ADD COLUMN "token_key_rotated_at" timestamp with time zone;