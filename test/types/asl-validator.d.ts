/** asl-validator 4 ships JavaScript only: the part of its API the tests call. */
declare module 'asl-validator' {
  interface AslValidationError {
    readonly message: string;
  }
  interface AslValidationResult {
    readonly isValid: boolean;
    readonly errors: readonly AslValidationError[];
    errorsText(separator?: string): string;
  }
  interface AslValidatorOptions {
    /** Check JSONPath expressions (default true). */
    readonly checkPaths?: boolean;
    /** Check the ARN form of `Resource` (default true). */
    readonly checkArn?: boolean;
  }
  /** Validates in place: it adds `QueryLanguage` to every state, so pass a copy. */
  function aslValidator(definition: unknown, options?: AslValidatorOptions): AslValidationResult;
  export = aslValidator;
}
