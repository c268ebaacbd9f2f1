import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { Admin } from 'kafkajs';
import { BrokerAccess, EXCHANGE_PRINCIPALS, kafkaClient, KafkaTokenSigner, outboundTopic } from '@crescent/messaging';
import { subscriptionsOf } from '@crescent/policy';
import { AGENCY_DIRECTORY, AgencyDirectory, KAFKA_TOKEN_SIGNER, RUNTIME_CONFIG, RuntimeConfig } from '@crescent/runtime';

/** How long the reconciler waits before trying again after the broker failed it. */
const RETRY_DELAY_MS = 2000;

/**
 * Keeps the broker in step with the directory: every registered agency has its topics and the
 * ACLs that make them its own; a suspended or revoked one has no ACL left. It repeats the whole
 * comparison at start and after each change, and every step is idempotent, so a crash between
 * an agency's registration and its ACLs is mended by the next start.
 */
@Injectable()
export class BrokerAccessReconciler implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('broker-access');
  private admin?: Admin;
  private access?: BrokerAccess;
  /** What was last applied for each agency: its status and topics, as one comparable string. */
  private readonly applied = new Map<string, string>();
  private reconciling: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    @Inject(AGENCY_DIRECTORY) private readonly directory: AgencyDirectory,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
    @Optional() @Inject(KAFKA_TOKEN_SIGNER) private readonly signer?: KafkaTokenSigner,
  ) {}

  /** At module init, before any app's consumers subscribe (at bootstrap) to the topics it creates. */
  async onModuleInit(): Promise<void> {
    const signer = this.signer;
    if (!signer) return;
    this.admin = kafkaClient({
      brokers: this.config.kafkaBrokers,
      clientId: 'crescent-broker-access',
      token: async () => signer.sign(EXCHANGE_PRINCIPALS.admin),
    }).admin();
    await this.admin.connect();
    this.access = new BrokerAccess(this.admin, this.config.topicNamespace, this.config.topicSettings);
    await this.access.grantExchange();
    this.directory.onChange(() => void this.reconcile());
    // Ready only once every agency known at start can use the broker.
    await this.reconcile();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.reconciling;
    await this.admin?.disconnect();
  }

  private reconcile(): Promise<void> {
    this.reconciling = this.reconciling.then(() => this.applyDirectory());
    return this.reconciling;
  }

  private async applyDirectory(): Promise<void> {
    const access = this.access;
    if (!access || this.stopped) return;
    const state = this.directory.current();
    const subscriptions = subscriptionsOf(state);
    for (const agency of this.directory.agencies()) {
      const active = this.directory.isActive(agency.id);
      const topics = subscriptions
        .filter((subscription) => subscription.agencyId === agency.id)
        .map((subscription) => outboundTopic(this.config.topicNamespace, agency.id, subscription.recordType, subscription.schemaVersion))
        .filter((topic): topic is string => topic !== undefined);
      const wanted = active ? `active ${[...new Set(topics)].sort().join(' ')}` : 'withdrawn';
      if (this.applied.get(agency.id) === wanted) continue;
      try {
        if (active) await access.grantAgency(agency.id, topics);
        else await access.withdrawAgency(agency.id);
        this.applied.set(agency.id, wanted);
      } catch (error) {
        this.logger.error(`could not bring ${agency.id}'s broker access in step (${error instanceof Error ? error.name : typeof error}); retrying`);
        setTimeout(() => void this.reconcile(), RETRY_DELAY_MS).unref();
        return;
      }
    }
  }
}
