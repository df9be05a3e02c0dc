import { LmsError } from '../errors.ts';

/** The function was invoked with something that is not an API Gateway HTTP API 2.0 event. */
export class InvalidHttpEventError extends LmsError {
  readonly code = 'INVALID_EVENT';
}

/** The body is missing, not base64 when it says it is, not UTF-8, or not JSON. */
export class InvalidJsonError extends LmsError {
  readonly code = 'INVALID_JSON';
}

/** The decoded body is larger than the route accepts. */
export class PayloadTooLargeError extends LmsError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

/** A path or query parameter is not what the route expects. */
export class InvalidParameterError extends LmsError {
  readonly code = 'INVALID_PARAMETER';
}

/**
 * The body is declared (by `content-type`) as something other than JSON in UTF-8. A 400,
 * not a 415: DESIGN section 5 fixes the statuses a client may see.
 */
export class UnsupportedMediaTypeError extends LmsError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}
