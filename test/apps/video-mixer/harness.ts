/** Calls the Video Mixer (mounted at /api/apps/video-mixer) as a client would, with the committed fixture clips. */

/** A fixture clip's bytes (clips.ts holds them as base64: workerd tests have no file system). */
export const fixtureBytes = (base64: string) => Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
