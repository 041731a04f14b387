// Domain errors. Domain code throws these; the HTTP layer maps them to status codes in one place.

export type FieldErrors = Record<string, string>;

export class DomainError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Input that breaks a rule; `fields` names each bad field with a reason a person can act on. */
export class Invalid extends DomainError {
  readonly fields: FieldErrors;
  constructor(fields: FieldErrors, message = 'Some fields are not valid') {
    super('VALIDATION_FAILED', message);
    this.fields = fields;
  }
}

export class NotFound extends DomainError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class Conflict extends DomainError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

/** Input that is too large for a configured limit. */
export class TooLarge extends DomainError {
  constructor(message: string) {
    super('TOO_LARGE', message);
  }
}

export class UnsupportedMediaType extends DomainError {
  constructor(message: string) {
    super('UNSUPPORTED_MEDIA_TYPE', message);
  }
}
