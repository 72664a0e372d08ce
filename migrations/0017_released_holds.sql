CREATE TABLE `released_holds` (
	`generation_id` text PRIMARY KEY NOT NULL,
	`released_at` integer NOT NULL
);
