import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError } from '@crescent/domain';

export interface FieldProblem {
  readonly field: string;
  readonly problems: readonly string[];
}

/** As many problems as a client needs to fix a body; a body of thousands of bad elements gets a count of the rest. */
export const MAX_REPORTED_PROBLEMS = 20;

/** A request body that failed validation, with each bad field named (never its value). */
export class RequestValidationError extends DomainError {
  readonly errors: readonly FieldProblem[];
  readonly moreErrors: number;

  constructor(problems: readonly FieldProblem[]) {
    super('validation', 'REQUEST.INVALID', `${problems.length} field(s) are invalid`);
    this.errors = problems.slice(0, MAX_REPORTED_PROBLEMS);
    this.moreErrors = problems.length - this.errors.length;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // class-validator quotes nothing of the value unless asked; keep it that way.
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(flatten(errors)),
  });
}

/** class-validator names an unknown property by its key, which is the sender's text: only where it is may be said. */
const UNKNOWN_PROPERTY = 'whitelistValidation';

function flatten(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const { constraints } = error;
    const own = !constraints
      ? []
      : UNKNOWN_PROPERTY in constraints
        ? [{ field: parent || '(body)', problems: ['an unknown property'] }]
        : [{ field, problems: Object.values(constraints) }];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
