import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { Agency, deciderFor, DomainCommand, DomainError } from '@crescent/domain';
import { activeTraceparent } from '@crescent/observability';
import { EVENT_STORE, EventStore, WrongExpectedRevisionError } from '@crescent/event-store';
import { AGENCY_DIRECTORY, AgencyDirectory, Decidable, RecordWritten, RUNTIME_CONFIG, RuntimeConfig, writeRecord } from '@crescent/runtime';
import type { CommandRoute } from './intake-command';
import { CommandWrites } from './command-writes';
import { ReferralMatters } from './referral-matters';
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
  /** The agency's person who takes the step; only an authenticated agency names one, for itself. */
  readonly onBehalfOf?: string;
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
    private readonly writes: CommandWrites,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
    private readonly matters: ReferralMatters,
  ) {}

  async write(submission: CommandSubmission, step: UseCaseStep): Promise<RecordWritten> {
    const { agency, idempotencyKey } = submission;
    if (submission.route.creates && submission.expectedVersion !== undefined) {
      // A new record has no version to match: a version named is a client's mistake, not a conflict.
      throw new DomainError('validation', 'COMMAND.EXPECTED_VERSION_ON_CREATE', 'a command that creates a record takes no If-Match (ce_expectedversion)');
    }
    if (!idempotencyKey) return this.execute(this.store, this.matters, submission, step);
    // The key's claim, the events and the result: one transaction when they share a database (see CommandWrites).
    return this.writes.run(async (store, keys, matters) => {
      const claim = await keys.claim<RecordWritten>(agency.id, idempotencyKey, fingerprint(submission));
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
        // An attempt that died or failed after writing is not written twice: its events carry the operation's ids.
        const written = (claim.resumed ? await this.writtenBy(store, matters, submission, claim.operationId) : undefined) ?? (await this.execute(store, matters, submission, step, claim.operationId));
        await keys.complete(agency.id, idempotencyKey, written);
        return written;
      } catch (error) {
        // Refused before anything was written: the key is free again, for this request or a corrected one.
        // Anything else may have come after the write: the claim stays, for a retry to resume.
        // (In one transaction, its rollback takes the claim back with everything else.)
        const refused = error instanceof DomainError || error instanceof WrongExpectedRevisionError;
        await (refused ? keys.release(agency.id, idempotencyKey) : keys.abandon(agency.id, idempotencyKey)).catch(() => undefined);
        throw error;
      }
    });
  }

  /** What an earlier attempt of the operation wrote, as the answer it would have given; undefined if it wrote nothing. */
  private async writtenBy(store: EventStore, matters: ReferralMatters, { agency, route, recordId }: CommandSubmission, operationId: string): Promise<RecordWritten | undefined> {
    const id = recordId ?? operationUuid(operationId, 'record');
    const stream = await store.readStream(deciderFor(route.recordType).streamId(id));
    const ours = new Set(stream.map((_, index) => operationUuid(operationId, `event-${index}`)));
    const written = stream.filter((stored) => ours.has(stored.id));
    if (written.length === 0) return undefined;
    const version = written[written.length - 1].revision + 1;
    const seen = recordId === undefined ? undefined : await versionsSeenBy(store, this.directory, matters, agency, route.recordType, id);
    return { recordId: id, version: seen ? seen.seen(version) : version };
  }

  /** Decides and writes through `store`, reading the referral matters through `matters`; with an operation (an idempotency key's), the new record's id and the events' ids come from it. */
  private async execute(
    store: EventStore,
    matters: ReferralMatters,
    { agency, route, recordId, expectedVersion, correlationId, traceparent, onBehalfOf }: CommandSubmission,
    step: UseCaseStep,
    operationId?: string,
  ): Promise<RecordWritten> {
    const id = recordId ?? (operationId ? operationUuid(operationId, 'record') : randomUUID());
    const eventIdFor = operationId ? (index: number) => operationUuid(operationId, `event-${index}`) : undefined;
    // Traced, the events carry this request's span, so the relay's spans join it; untraced, the caller's.
    const carried = activeTraceparent() ?? traceparent;
    const command = {
      ...(await step(id, { directory: this.directory, store, consentMaxDays: this.config.consentMaxDays })),
      metadata: {
        agencyId: agency.id,
        agencyKind: agency.kind,
        ...(agency.department ? { agencyDepartment: agency.department } : {}),
        now: new Date().toISOString(),
        correlationId: correlationId ?? randomUUID(),
        ...(carried ? { traceparent: carried } : {}),
        ...(onBehalfOf ? { onBehalfOf } : {}),
      },
    } as DomainCommand;
    const write = (version: number | 'new' | undefined): Promise<RecordWritten> => writeRecord(store, route.recordType, id, command, version, eventIdFor);
    // A create's id was made just now (or by its operation, which wrote nothing yet): no stream to read.
    if (recordId === undefined) return write('new');
    const seen = await versionsSeenBy(store, this.directory, matters, agency, route.recordType, id);
    if (!seen) return write(expectedVersion);
    return this.writeAsSeen(seen, expectedVersion, write, () => versionsSeenBy(store, this.directory, matters, agency, route.recordType, id));
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

/** A UUID (version 8, name-based) of one thing an operation writes: the same for every attempt of it. */
function operationUuid(operationId: string, label: string): string {
  const hex = createHash('sha256').update(`${operationId}:${label}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

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
