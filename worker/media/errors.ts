/** Why an image was refused, in the contract's terms: 415 unsupported, 422 unusable, 413 too large. */
import { ApiError, type ErrorCode } from "../core/errors";

export type MediaErrorKind =
  /** Not PNG, JPEG or WebP by its magic bytes, or a variant we do not decode (e.g. arithmetic-coded JPEG). */
  | "unsupported"
  /** Claims a format but breaks its rules. */
  | "invalid"
  /** Ends before the data it announces. */
  | "truncated"
  /** Sides outside the accepted range. */
  | "dimensions"
  /** More bytes or pixels than we can hold in an isolate's memory. */
  | "too_large";

const CODES: Record<MediaErrorKind, ErrorCode> = {
  unsupported: "UNSUPPORTED_MEDIA_TYPE",
  invalid: "UNPROCESSABLE",
  truncated: "UNPROCESSABLE",
  dimensions: "UNPROCESSABLE",
  too_large: "PAYLOAD_TOO_LARGE",
};

/** An ApiError, so the app's one error handler answers it with the right status unchanged. */
export class MediaError extends ApiError {
  constructor(
    readonly kind: MediaErrorKind,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(CODES[kind], message, { kind, ...details });
    this.name = "MediaError";
  }
}
