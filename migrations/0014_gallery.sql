ALTER TABLE `generation_items` ADD `favorite_at` integer;--> statement-breakpoint
CREATE INDEX `generation_items_gallery_idx` ON `generation_items` (`user_id`,`status`,`created_at`,`id`);--> statement-breakpoint
ALTER TABLE `generations` ADD `prompt` text;--> statement-breakpoint
-- Generations made before the column: their prompt from the stored body, for the apps that take one.
UPDATE `generations` SET `prompt` = json_extract(`params`, '$.textPrompt') WHERE `app_id` = 'pose-generator' AND `prompt` IS NULL;--> statement-breakpoint
UPDATE `generations` SET `prompt` = json_extract(`params`, '$.prompt') WHERE `app_id` = 'avatar-creator' AND `prompt` IS NULL;
