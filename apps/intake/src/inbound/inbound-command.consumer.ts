import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AccessAudit } from '@crescent/audit';
import { Agency } from '@crescent/domain';
import {
  BusMessage,
  commandReplyTopic,
  inboundCommandTopic,
  MESSAGE_BUS,
  MessageBus,
  Subscription,
  toCloudEventMessage,
} from '@crescent/messaging';
import { AGENCY_DIRECTORY, AgencyDirectory, problemFor, RUNTIME_CONFIG, RuntimeConfig } from '@crescent/runtime';
import { readInboundCommand } from './inbound-command';
import { inboundAccessEntry } from './inbound-command-audit';
import { CommandGateway } from '../commands/command-gateway';

const SOURCE = 'urn:crescent:intake';

/**
 * Agencies may send commands by producing to their own inbound topic. A valid message is handled
 * exactly like the HTTP call (same validation, same gateway, its CloudEvents id as the idempotency
 * key); an invalid or refused one is answered on the agency's rejection topic and changes nothing.
 * Infrastructure failures are thrown, so the bus redelivers the message.
 */
@Injectable()
export class InboundCommandConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('intake-inbound');
  private subscription?: Subscription;
  private readonly agencyByTopic: ReadonlyMap<string, Agency>;

  constructor(
    private readonly audit: AccessAudit,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly gateway: CommandGateway,
    @Inject(AGENCY_DIRECTORY) directory: AgencyDirectory,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {
    this.agencyByTopic = new Map(directory.agencies().map((agency) => [inboundCommandTopic(config.topicNamespace, agency.id), agency]));
  }

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.subscribe(
      { groupId: `${this.config.topicNamespace}crescent.intake.inbound`, topics: [...this.agencyByTopic.keys()] },
      (message) => this.handle(message),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  private async handle(message: BusMessage): Promise<void> {
    const agency = this.agencyByTopic.get(message.topic);
    if (!agency) return;
    const commandId = message.headers.ce_id ?? '';
    let reply: { kind: 'receipts' | 'rejections'; data: object };
    try {
      const submission = await readInboundCommand(message, agency);
      const written = await this.gateway.submit(submission);
      reply = { kind: 'receipts', data: { commandId, commandType: submission.route.commandType, ...written } };
      await this.audit.recordOrReport(inboundAccessEntry(message, agency, { accepted: written }));
    } catch (error) {
      const problem = problemFor(error);
      if (problem.status >= 500) throw error;
      reply = { kind: 'rejections', data: { commandId, commandType: message.headers.ce_type ?? null, ...problem } };
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
