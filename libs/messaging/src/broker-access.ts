import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Admin,
  ResourcePatternTypes,
} from 'kafkajs';
import { createTopics, TopicSettings } from './kafka-bus';
import { commandReplyTopic, inboundCommandTopic } from './topics';

/** The exchange's own broker principals; `admin` must be one of the broker's super users. */
export const EXCHANGE_PRINCIPALS = { admin: 'crescent-admin', relay: 'crescent-relay', intake: 'crescent-intake' } as const;

/** An agency's broker principal: scoped by the deployment's namespace, so deployments sharing a cluster stay apart. */
export function agencyPrincipal(namespace: string, agencyId: string): string {
  return `${namespace}${agencyId}`;
}

/** Consumer groups an agency may use: its id, then a dot, then any name it likes. */
export function agencyGroupPrefix(namespace: string, agencyId: string): string {
  return `${namespace}${agencyId}.`;
}

/** The consumer group intake reads inbound commands with. */
export function intakeGroup(namespace: string): string {
  return `${namespace}crescent.intake.inbound`;
}

type Pattern = 'literal' | 'prefixed';
type Operation = 'read' | 'write' | 'create' | 'describe';

/** One ALLOW rule: `principal` may do `operations` on the topic or group named (or prefixed) `name`. */
interface Grant {
  readonly principal: string;
  readonly resource: 'topic' | 'group';
  readonly pattern: Pattern;
  readonly name: string;
  readonly operations: readonly Operation[];
}

const OPERATION: Record<Operation, AclOperationTypes> = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  create: AclOperationTypes.CREATE,
  describe: AclOperationTypes.DESCRIBE,
};

/**
 * What each of the exchange's apps may do on the broker in one deployment: the relay writes
 * outbound topics and reads nothing; intake reads inbound commands (with its own group).
 * Intake's right to answer on each agency's reply topics comes with the agency.
 */
export function exchangeGrants(namespace: string): Grant[] {
  return [
    { principal: EXCHANGE_PRINCIPALS.relay, resource: 'topic', pattern: 'prefixed', name: `${namespace}crescent.out.`, operations: ['write', 'create', 'describe'] },
    { principal: EXCHANGE_PRINCIPALS.intake, resource: 'topic', pattern: 'prefixed', name: `${namespace}crescent.in.`, operations: ['read', 'describe'] },
    { principal: EXCHANGE_PRINCIPALS.intake, resource: 'group', pattern: 'literal', name: intakeGroup(namespace), operations: ['read'] },
  ];
}

/**
 * What agency A may do, and nothing more: read its own outbound topics, use groups prefixed
 * with its id, write its own inbound topic. No other topic, no topic creation, no cluster operation.
 */
export function agencyGrants(namespace: string, agencyId: string): Grant[] {
  const principal = agencyPrincipal(namespace, agencyId);
  return [
    { principal, resource: 'topic', pattern: 'prefixed', name: `${namespace}crescent.out.${agencyId}.`, operations: ['read', 'describe'] },
    { principal, resource: 'group', pattern: 'prefixed', name: agencyGroupPrefix(namespace, agencyId), operations: ['read'] },
    { principal, resource: 'topic', pattern: 'literal', name: inboundCommandTopic(namespace, agencyId), operations: ['write', 'describe'] },
  ];
}

/** Intake answers agency A's inbound commands on A's two reply topics (create: the exchange's publishers ensure their topics). */
function intakeReplyGrants(namespace: string, agencyId: string): Grant[] {
  return agencyTopics(namespace, agencyId)
    .filter((topic) => topic !== inboundCommandTopic(namespace, agencyId))
    .map((name) => ({ principal: EXCHANGE_PRINCIPALS.intake, resource: 'topic', pattern: 'literal', name, operations: ['write', 'create', 'describe'] }));
}

/** The topics an agency has from its registration on: its inbound commands and the answers to them. */
export function agencyTopics(namespace: string, agencyId: string): string[] {
  return [
    inboundCommandTopic(namespace, agencyId),
    commandReplyTopic(namespace, agencyId, 'receipts'),
    commandReplyTopic(namespace, agencyId, 'rejections'),
  ];
}

/**
 * The exchange's administration of the broker: it creates topics and the ACLs that make each
 * agency's topics its own. Every call is idempotent, so a reconciler may repeat it after a crash.
 */
export class BrokerAccess {
  constructor(
    private readonly admin: Admin,
    private readonly namespace: string,
    private readonly topicSettings: TopicSettings,
  ) {}

  async grantExchange(): Promise<void> {
    await this.allow(exchangeGrants(this.namespace));
  }

  /** Creates the agency's topics (and `extraTopics`, its subscriptions' outbound topics), then opens them to it. */
  async grantAgency(agencyId: string, extraTopics: readonly string[]): Promise<void> {
    await createTopics(this.admin, [...agencyTopics(this.namespace, agencyId), ...extraTopics], this.topicSettings);
    await this.allow([...agencyGrants(this.namespace, agencyId), ...intakeReplyGrants(this.namespace, agencyId)]);
  }

  /** Takes every right away from the agency's principal at once; its topics and their data stay. */
  async withdrawAgency(agencyId: string): Promise<void> {
    await this.admin.deleteAcls({
      filters: [
        {
          resourceType: AclResourceTypes.ANY,
          resourcePatternType: ResourcePatternTypes.ANY,
          principal: `User:${agencyPrincipal(this.namespace, agencyId)}`,
          host: '*',
          operation: AclOperationTypes.ANY,
          permissionType: AclPermissionTypes.ANY,
        },
      ],
    });
  }

  private async allow(grants: readonly Grant[]): Promise<void> {
    await this.admin.createAcls({
      acl: grants.flatMap((grant) =>
        grant.operations.map((operation) => ({
          resourceType: grant.resource === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
          resourceName: grant.name,
          resourcePatternType: grant.pattern === 'prefixed' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
          principal: `User:${grant.principal}`,
          host: '*',
          operation: OPERATION[operation],
          permissionType: AclPermissionTypes.ALLOW,
        })),
      ),
    });
  }
}
