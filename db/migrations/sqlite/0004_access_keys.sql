CREATE TABLE `access_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`key_prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`expires_at` integer,
	`groups` text NOT NULL,
	`models` text NOT NULL,
	`ip_allowlist` text NOT NULL,
	`rpm_limit` integer DEFAULT 0 NOT NULL,
	`tpm_limit` integer DEFAULT 0 NOT NULL,
	`max_concurrency` integer DEFAULT 0 NOT NULL,
	`token_budget` integer DEFAULT 0 NOT NULL,
	`cost_budget_usd` real DEFAULT 0 NOT NULL,
	`budget_period` text DEFAULT 'month' NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_used_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `access_keys_name_unique` ON `access_keys` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `access_keys_key_hash_uq` ON `access_keys` (`key_hash`);