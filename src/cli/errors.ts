import { LmsError } from '../errors.ts';

/** A command was given an argument it cannot use (exit code 2, like a bad configuration). */
export class UsageError extends LmsError {
  readonly code = 'INVALID_ARGUMENT';
}
