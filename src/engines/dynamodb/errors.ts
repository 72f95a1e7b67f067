/**
 * The engine's domain errors. Providers map them to AWS errors: a validation problem becomes
 * `ValidationException` with this exact message; a failed condition becomes
 * `ConditionalCheckFailedException`.
 */
export class DynamoValidation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DynamoValidation';
  }
}

/** Raised by expression parsing with AWS's "Invalid <Kind>Expression: …" prefix already applied. */
export function invalidExpression(kind: string, detail: string): DynamoValidation {
  return new DynamoValidation(`Invalid ${kind}: ${detail}`);
}
