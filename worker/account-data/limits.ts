/** How often a user may export their data: each export reads every file they have. */
export const EXPORTS_PER_HOUR = 5;

export const exportLimitKey = (userId: string) => `export:user:${userId}`;
