/** Clip fixtures for the image-to-video path. */

/** The start of an MP4: an `ftyp` box (isom), then an empty `mdat`. */
export const MP4 = Uint8Array.from([0, 0, 0, 24, ...new TextEncoder().encode("ftypisom"), 0, 0, 2, 0, ...new TextEncoder().encode("isomiso2"), 0, 0, 0, 8, ...new TextEncoder().encode("mdat")]);
/** The EBML magic and a header element: how a WebM starts. */
export const WEBM = Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01]);
