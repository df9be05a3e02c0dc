import { LmsError } from '../errors.ts';

/** A scheduled or invoked job was given an event it cannot run with. */
export class InvalidEventError extends LmsError {
  readonly code = 'INVALID_EVENT';
}
