ALTER TABLE `request_logs` ADD `protocol_in` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `request_logs` ADD `protocol_out` text DEFAULT '' NOT NULL;