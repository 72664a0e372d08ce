/** R2 key layout: everything of a user under one prefix; outputs at deterministic keys. */

const EXTENSIONS: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif", "video/mp4": "mp4", "video/webm": "webm" };

export const extensionFor = (contentType: string) => EXTENSIONS[contentType] ?? "bin";

export const userPrefix = (userId: string) => `users/${userId}/`;

export const projectPrefix = (userId: string, projectId: string) => `${userPrefix(userId)}projects/${projectId}/`;

/** Same generation + item + format → same key, so a redelivered item overwrites, never duplicates. */
/** Every output of one generation lives under this prefix. */
export const generationPrefix = (userId: string, projectId: string, generationId: string) => `${projectPrefix(userId, projectId)}generations/${generationId}/`;

export function outputKey(userId: string, projectId: string, generationId: string, itemKey: string, format: string, contentType: string): string {
  return `${generationPrefix(userId, projectId, generationId)}${encodeURIComponent(itemKey)}/${format}.${extensionFor(contentType)}`;
}

export function uploadKey(userId: string, projectId: string, kind: string, id: string, contentType: string): string {
  return `${projectPrefix(userId, projectId)}${kind}/${id}.${extensionFor(contentType)}`;
}

/** Public assets (e.g. pose previews) that any signed-in user may see. */
export const sharedKey = (path: string) => `shared/${path}`;

/** Owner of a key under users/<id>/, or null for shared keys. */
export function ownerOf(key: string): string | null {
  const m = /^users\/([^/]+)\//.exec(key);
  return m ? m[1]! : null;
}
