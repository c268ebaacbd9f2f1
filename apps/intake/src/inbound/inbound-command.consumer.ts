import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AccessAudit } from '@crescent/audit';
import { Agency, DomainError } from '@crescent/domain';
import {
  BusMessage,
  commandReplyTopic,
  inboundCommandTopic,
  intakeGroup,
  MESSAGE_BUS,
  MessageBus,
  Subscription,
  toCloudEventMessage,
} from '@crescent/messaging';
import { AGENCY_DIRECTORY, AgencyDirectory, problemFor, RUNTIME_CONFIG, RuntimeConfig } from '@crescent/runtime';
import { EventContractViolation } from '../../../../contracts/events/event-contracts';
import { readInboundCommand } from './inbound-command';
import { inboundAccessEntry } from './inbound-command-audit';
import { COMMAND_ROUTES } from '../commands/command-catalog';

const SOURCE = 'urn:crescent:intake';
/** How long intake waits before subscribing again when the broker refused (a new agency's topic not created yet). */
const RESUBSCRIBE_DELAY_MS = 1000;

/**
 * Agencies may send commands by producing to their own inbound topic. A valid message is handled
 * exactly like the HTTP call (same validation, same use-case handler, its CloudEvents id as the idempotency
 * key); an invalid or refused one is answered on the agency's rejection topic and changes nothing.
 * Infrastructure failures are thrown, so the bus redelivers the message; an event that fails its own
 * contract (a bug) is answered as a rejection (500, INTERNAL), as redelivery would fail the same way.
 */
@Injectable()
export class InboundCommandConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('intake-inbound');
  private subscription?: Subscription;
  private agencyByTopic: ReadonlyMap<string, Agency> = new Map();
  /** Subscriptions change one at a time, in the order the directory changed. */
  private following: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly audit: AccessAudit,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly commandBus: CommandBus,
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  /**
   * Starts reading without holding up the start: joining the consumer group can take as long as the
   * session timeout of a member that died (a crashed intake's, 30 s), and HTTP submissions must not wait.
   */
  onApplicationBootstrap(): void {
    // An agency registered while intake runs gets its inbound topic read without a restart.
    this.directory.onChange(() => void this.follow());
    void this.follow();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.following;
    await this.subscription?.stop();
  }

  private follow(): Promise<void> {
    this.following = this.following.then(() => this.subscribeToAgencies());
    return this.following;
  }

  /** Reads the inbound topic of every registered agency; subscribes again only when that set changed. */
  private async subscribeToAgencies(): Promise<void> {
    if (this.stopped) return;
    const agencyByTopic = new Map(this.directory.agencies().map((agency) => [inboundCommandTopic(this.config.topicNamespace, agency.id), agency]));
    const unchanged = agencyByTopic.size === this.agencyByTopic.size && [...agencyByTopic.keys()].every((topic) => this.agencyByTopic.has(topic));
    this.agencyByTopic = agencyByTopic;
    if ((unchanged && this.subscription) || agencyByTopic.size === 0) return;
    // A consumer that fails to leave its group is replaced all the same; the group rebalances.
    await this.subscription?.stop().catch(() => undefined);
    this.subscription = undefined;
    try {
      this.subscription = await this.bus.subscribe(
        { groupId: intakeGroup(this.config.topicNamespace), topics: [...agencyByTopic.keys()] },
        (message) => this.handle(message),
      );
    } catch (error) {
      // A topic not created yet, or a broker that does not answer, the bus waits for itself; a broker that refuses the consumer is tried again here.
      this.logger.warn(`could not subscribe to the inbound topics (${error instanceof Error ? error.name : typeof error}); retrying`);
      setTimeout(() => void this.follow(), RESUBSCRIBE_DELAY_MS).unref();
    }
  }

  private async handle(message: BusMessage): Promise<void> {
    const agency = this.agencyByTopic.get(message.topic);
    if (!agency) return;
    const commandId = message.headers.ce_id ?? '';
    let reply: { kind: 'receipts' | 'rejections'; data: object };
    try {
      // Written before the agency was suspended or revoked, read after: refused like its HTTP calls.
      if (!this.directory.isActive(agency.id)) throw new DomainError('forbidden', 'AUTH.AGENCY_NOT_ACTIVE', 'this agency is suspended or revoked: the exchange refuses its commands');
      const submission = await readInboundCommand(message, agency);
      // The same use-case handler as the HTTP route's.
      const written = await this.commandBus.execute(new submission.route.command(submission));
      reply = { kind: 'receipts', data: { commandId, commandType: submission.route.commandType, ...written } };
      await this.audit.recordOrReport(inboundAccessEntry(message, agency, { accepted: written }));
    } catch (error) {
      const problem = problemFor(error);
      // Redelivered: an infrastructure failure may pass. An event its own contract refuses would be refused again.
      if (problem.status >= 500 && !(error instanceof EventContractViolation)) throw error;
      // ce_type is repeated only when it names a command: anything else is the sender's text.
      const commandType = COMMAND_ROUTES.find((route) => route.commandType === message.headers.ce_type)?.commandType ?? null;
      reply = { kind: 'rejections', data: { commandId, commandType, ...problem } };
      this.logger.log(`rejected inbound command ${commandId} from ${agency.id}: ${problem.code}`);
      await this.audit.recordOrReport(inboundAccessEntry(message, agency, { refused: problem }));
    }
    await this.bus.publish([
      toCloudEventMessage(
        commandReplyTopic(this.config.topicNamespace, agency.id, reply.kind),
        {
          id: `${commandId}:${reply.kind}`,
          source: SOURCE,
          type: reply.kind === 'receipts' ? 'crescent.CommandAccepted.v1' : 'crescent.CommandRejected.v1',
          subject: commandId,
          time: new Date().toISOString(),
          dataschema: `urn:crescent:schema:${reply.kind === 'receipts' ? 'CommandAccepted' : 'CommandRejected'}:1`,
          extensions: {},
        },
        reply.data,
      ),
    ]);
  }
}
