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

/** The request carries no valid credentials (or, with a code such as INVALID_CREDENTIALS, wrong ones). */
export class Unauthenticated extends DomainError {
  constructor(message: string, code = 'UNAUTHENTICATED') {
    super(code, message);
  }
}

/** The principal is known but may not do this (code FORBIDDEN, or CSRF_FAILED for a missing CSRF token). */
export class Forbidden extends DomainError {
  constructor(message: string, code = 'FORBIDDEN') {
    super(code, message);
  }
}

/** Too many attempts (sign-in throttling); `retryAfterSeconds` becomes the Retry-After header. */
export class Throttled extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('RATE_LIMITED', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
