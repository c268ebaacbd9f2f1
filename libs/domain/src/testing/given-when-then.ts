import { Decider, DomainCommand, DomainEvent } from '../decider';
import { DomainError, DomainErrorKind } from '../domain-error';

/**
 * `given(...past events).when(command).then(...new events)` or `.thenRefused(code, kind)`,
 * for any record's decider.
 */
export function givenWhenThen<C extends DomainCommand, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return (...history: E[]) => {
    const state = history.reduce((current, event) => decider.evolve(current, event), decider.initialState);
    return {
      state,
      when: (command: C) => ({
        then: <Expected extends E>(...expected: Expected[]): Expected[] => {
          const events = decider.decide(command, state);
          expect(events).toEqual(expected);
          return events as Expected[];
        },
        thenRefused: (code: string, kind: DomainErrorKind): void => {
          const error = refusalOf(() => decider.decide(command, state));
          expect({ code: error.code, kind: error.kind }).toEqual({ code, kind });
        },
        /** Refused exactly (code, kind, message) as the same command on a record that does not exist: the refusal tells nothing. */
        thenRefusedAsIfMissing: (): void => {
          expectSameNotFound(() => decider.decide(command, state), () => decider.decide(command, decider.initialState));
        },
        /** Refused exactly (code, kind, message) as `other`, a command about something that does not exist. */
        thenRefusedAs: (other: C): void => {
          expectSameNotFound(() => decider.decide(command, state), () => decider.decide(other, state));
        },
      }),
    };
  };
}

function expectSameNotFound(decide: () => unknown, decideMissing: () => unknown): void {
  const error = refusalOf(decide);
  const missing = refusalOf(decideMissing);
  expect(missing.kind).toBe('not-found');
  expect({ code: error.code, kind: error.kind, message: error.message }).toEqual({ code: missing.code, kind: missing.kind, message: missing.message });
}

function refusalOf(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal, but the command was accepted');
}
