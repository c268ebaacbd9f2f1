import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError } from '@crescent/domain';

export interface FieldProblem {
  readonly field: string;
  readonly problems: readonly string[];
}

/** A request body that failed validation, with each bad field named (never its value). */
export class RequestValidationError extends DomainError {
  constructor(readonly errors: readonly FieldProblem[]) {
    super('validation', 'REQUEST.INVALID', `${errors.length} field(s) are invalid`);
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

function flatten(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
