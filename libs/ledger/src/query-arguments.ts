import { DomainError } from '@crescent/domain';

/** Checks the arguments of a store's queries; each failure is a validation error under the store's own code. */
export class QueryArguments {
  constructor(private readonly invalidCode: string) {}

  /** Bounds are compared as text with stored `toISOString` instants, so they are written the same way. */
  instant(name: string, value: string): string {
    const time = Date.parse(value);
    if (Number.isNaN(time)) throw this.invalid(`${name} must be an ISO-8601 instant`);
    return new Date(time).toISOString();
  }

  assertPositiveInteger(name: string, value: number): void {
    if (!Number.isSafeInteger(value) || value < 1) throw this.invalid(`${name} must be a positive integer`);
  }

  assertNonNegativeInteger(name: string, value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw this.invalid(`${name} must be a non-negative integer`);
  }

  private invalid(problem: string): DomainError {
    return new DomainError('validation', this.invalidCode, problem);
  }
}
