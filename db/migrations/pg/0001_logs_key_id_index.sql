DROP INDEX "request_logs_key_hash_idx";--> statement-breakpoint
CREATE INDEX "api_keys_key_hash_idx" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "request_logs_key_id_idx" ON "request_logs" USING btree ("key_id");