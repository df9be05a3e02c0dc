import { InvalidArgumentError } from 'commander';

/** Commander parser for options such as `--concurrency 8`. */
export const positiveInteger = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError(`expected a whole number >= 1, got "${value}"`);
  }
  return parsed;
};

/** Commander parser for options such as `--seed 0`. */
export const nonNegativeInteger = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new InvalidArgumentError(`expected a whole number >= 0, got "${value}"`);
  }
  return parsed;
};
