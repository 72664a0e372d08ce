/** Avatar names: the server's limit (not yet published in GET /api/apps) and a default taken from the file. */
export const NAME_MAX = 100;

/** "my photo.final.jpg" → "my photo.final" */
export const nameFromFile = (file: File) => file.name.replace(/\.[a-z0-9]+$/i, "").slice(0, NAME_MAX) || "Avatar";
