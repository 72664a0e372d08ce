CREATE TABLE `poses` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`category` text NOT NULL,
	`difficulty` text NOT NULL,
	`tags` text NOT NULL,
	`keypoints` text NOT NULL,
	`position` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `poses_position_unique` ON `poses` (`position`);--> statement-breakpoint
CREATE INDEX `poses_category_idx` ON `poses` (`category`,`position`);