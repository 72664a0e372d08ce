CREATE TABLE `erasures` (
	`user_id` text PRIMARY KEY NOT NULL,
	`step` text NOT NULL,
	`anonymous_id` text NOT NULL,
	`email_hash` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `erasures_updated_idx` ON `erasures` (`updated_at`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`package_id` text,
	`plan_id` text,
	`item_name` text NOT NULL,
	`credits` integer NOT NULL,
	`plan_terms` text,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`request_hash` text NOT NULL,
	`gateway` text NOT NULL,
	`reference` text,
	`payment_url` text,
	`payment_method` text,
	`error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`paid_at` integer,
	`checked_at` integer
);
--> statement-breakpoint
INSERT INTO `__new_orders`("id", "user_id", "kind", "package_id", "plan_id", "item_name", "credits", "plan_terms", "amount", "currency", "status", "request_hash", "gateway", "reference", "payment_url", "payment_method", "error", "created_at", "updated_at", "paid_at", "checked_at") SELECT "id", "user_id", "kind", "package_id", "plan_id", "item_name", "credits", "plan_terms", "amount", "currency", "status", "request_hash", "gateway", "reference", "payment_url", "payment_method", "error", "created_at", "updated_at", "paid_at", "checked_at" FROM `orders`;--> statement-breakpoint
DROP TABLE `orders`;--> statement-breakpoint
ALTER TABLE `__new_orders` RENAME TO `orders`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `orders_user_idx` ON `orders` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_status_idx` ON `orders` (`status`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `orders_reference_idx` ON `orders` (`reference`);