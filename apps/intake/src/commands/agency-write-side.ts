import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { Agency, DomainCommand, DomainError } from '@crescent/domain';
import { activeTraceparent } from '@crescent/observability';
import { EVENT_STORE, EventStore, WrongExpectedRevisionError } from '@crescent/event-store';
import { AGENCY_DIRECTORY, AgencyDirectory, Decidable, RecordWritten, RUNTIME_CONFIG, RuntimeConfig, writeRecord } from '@crescent/runtime';
import type { CommandRoute } from './intake-command';
import { IdempotencyStore } from './idempotency.store';
import { currentVersionFor, SeenVersions, versionsSeenBy } from './seen-versions';

/** One command as an agency sent it, over HTTP or its inbound topic. */
export interface CommandSubmission {
  readonly agency: Agency;
  readonly route: CommandRoute;
  /** The record the command is about; absent when the command creates one. */
  readonly recordId?: string;
  /** The validated body. */
  readonly body: object;
  readonly expectedVersion?: number;
  readonly idempotencyKey?: string;
  readonly correlationId?: string;
  readonly traceparent?: string;
}

/** What a use case may look up before its command is decided: the pure decider reads no other record and no setting. */
export interface Lookups {
  readonly directory: AgencyDirectory;
  readonly store: EventStore;
  /** How long a consent may run here (`CONSENT_MAX_DAYS`). */
  readonly consentMaxDays: number;
}

/** A use case's own step: given the record's id (new on a create), its lookups and the command to decide. */
export type UseCaseStep = (recordId: string, lookups: Lookups) => Decidable | Promise<Decidable>;

/**
 * The steps every agency command shares, whichever edge it came through: its use case's handler
 * calls them with what only it knows (the lookups before decide, the command's data).
 */
@Injectable()
export class AgencyWriteSide {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly idempotency: IdempotencyStore,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async write(submission: CommandSubmission, step: UseCaseStep): Promise<RecordWritten> {
    const { agency, idempotencyKey } = submission;
    if (submission.route.creates && submission.expectedVersion !== undefined) {
      // A new record has no version to match: a version named is a client's mistake, not a conflict.
      throw new DomainError('validation', 'COMMAND.EXPECTED_VERSION_ON_CREATE', 'a command that creates a record takes no If-Match (ce_expectedversion)');
    }
    if (!idempotencyKey) return this.execute(submission, step);
    const claim = await this.idempotency.claim<RecordWritten>(agency.id, idempotencyKey, fingerprint(submission));
    switch (claim.outcome) {
      case 'replay':
        return claim.result;
      case 'different-request':
        throw new DomainError('illegal-state', 'IDEMPOTENCY.KEY_REUSED', 'this Idempotency-Key was used for a different request');
      case 'in-progress':
        throw new DomainError('conflict', 'IDEMPOTENCY.IN_PROGRESS', 'a request with this Idempotency-Key is still being handled');
      case 'claimed':
        break;
      default:
        return assertNever(claim);
    }
    try {
      const written = await this.execute(submission, step);
      await this.idempotency.complete(agency.id, idempotencyKey, written);
      return written;
    } catch (error) {
      await this.idempotency.release(agency.id, idempotencyKey);
      throw error;
    }
  }

  private async execute(
    { agency, route, recordId, expectedVersion, correlationId, traceparent }: CommandSubmission,
    step: UseCaseStep,
  ): Promise<RecordWritten> {
    const id = recordId ?? randomUUID();
    // Traced, the events carry this request's span, so the relay's spans join it; untraced, the caller's.
    const carried = activeTraceparent() ?? traceparent;
    const command = {
      ...(await step(id, { directory: this.directory, store: this.store, consentMaxDays: this.config.consentMaxDays })),
      metadata: {
        agencyId: agency.id,
        agencyKind: agency.kind,
        ...(agency.department ? { agencyDepartment: agency.department } : {}),
        now: new Date().toISOString(),
        correlationId: correlationId ?? randomUUID(),
        ...(carried ? { traceparent: carried } : {}),
      },
    } as DomainCommand;
    const write = (version: number | undefined): Promise<RecordWritten> => writeRecord(this.store, route.recordType, id, command, version);
    const seen = recordId === undefined ? undefined : await versionsSeenBy(this.store, this.directory, agency, route.recordType, id);
    if (!seen) return write(expectedVersion);
    return this.writeAsSeen(seen, expectedVersion, write, () => versionsSeenBy(this.store, this.directory, agency, route.recordType, id));
  }

  /**
   * A write by an agency that does not see every event of the record: `If-Match` names the version it
   * saw, and the answer gives the version it sees after the write. A step it may not know of that
   * lands between the read and the append is no conflict to it: the write is tried again on top of it.
   */
  private async writeAsSeen(
    seen: SeenVersions,
    expectedVersion: number | undefined,
    write: (version: number | undefined) => Promise<RecordWritten>,
    reread: () => Promise<SeenVersions | undefined>,
  ): Promise<RecordWritten> {
    let versions: SeenVersions | undefined = seen;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const written = await write(expectedVersion === undefined || !versions ? expectedVersion : currentVersionFor(versions, expectedVersion));
        const after = await reread();
        return after ? { ...written, version: after.seen(written.version) } : written;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= HIDDEN_STEP_RETRIES) throw error;
        versions = await reread();
      }
    }
  }
}

/** How many times a write is tried again when only steps its author may not know of moved the record on. */
const HIDDEN_STEP_RETRIES = 3;

/** What makes two submissions "the same request": the command, the record it targets and the body. */
function fingerprint({ route, recordId, body }: CommandSubmission): string {
  return createHash('sha256').update(canonicalJson([route.commandType, recordId ?? null, body])).digest('hex');
}

/** JSON with object keys sorted, so the same body sent with its keys in another order matches. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, field]) => field !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function assertNever(value: never): never {
  throw new Error(`unhandled idempotency outcome ${JSON.stringify(value)}`);
}
