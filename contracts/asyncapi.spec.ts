import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsyncAPIDocumentInterface, DiagnosticSeverity, fromFile, Parser } from '@asyncapi/parser';
import { deciderFor, RECORD_SCHEMA_VERSIONS, SHARABLE_RECORD_TYPES } from '@crescent/domain';
import { commandReplyTopic, deadLetterTopic, inboundCommandTopic, outboundTopic } from '@crescent/messaging';
import { COMMAND_ROUTES } from '../apps/intake/src/commands/command-catalog';

const EVENT_TYPES = new Set(SHARABLE_RECORD_TYPES.flatMap((recordType) => Object.keys(deciderFor(recordType).eventSchemaVersions)));
const CLOUD_EVENT_HEADERS = JSON.parse(readFileSync(join(__dirname, 'messages', 'CloudEventHeaders.schema.json'), 'utf8')) as {
  $defs: Record<'delivery' | 'snapshot' | 'core', { description: string }>;
};

/** The topic builders are given the parameter itself, so they return the channel's address. */
const AGENCY = '{agencyId}';

/**
 * Every topic family the code produces or reads, by address, with the messages (`ce_type`) each
 * carries: a record topic carries each event of its record type at the topic's version (downcast
 * where the event is newer, as the relay does), its retractions and its snapshots.
 */
function topicFamilies(): Record<string, string[]> {
  const outbound = SHARABLE_RECORD_TYPES.flatMap((recordType) =>
    RECORD_SCHEMA_VERSIONS[recordType].map((version) => [
      outboundTopic('', AGENCY, recordType, version)!,
      [
        ...Object.entries<readonly number[]>(deciderFor(recordType).eventSchemaVersions).map(
          ([type, versions]) => `crescent.${type}.v${Math.min(versions.at(-1)!, version)}`,
        ),
        'crescent.RecordRetracted.v1',
        'crescent.RecordSnapshot.v1',
      ],
    ]),
  );
  return Object.fromEntries([
    ...outbound,
    [inboundCommandTopic('', AGENCY), ['InboundCommand']],
    [commandReplyTopic('', AGENCY, 'receipts'), ['crescent.CommandAccepted.v1']],
    [commandReplyTopic('', AGENCY, 'rejections'), ['crescent.CommandRejected.v1']],
    [deadLetterTopic(''), ['crescent.DeliveryDeadLettered.v1']],
  ]);
}

describe('contracts/asyncapi.yaml', () => {
  let document: AsyncAPIDocumentInterface;

  beforeAll(async () => {
    const { document: parsed, diagnostics } = await fromFile(new Parser(), join(__dirname, 'asyncapi.yaml')).parse();
    // Errors, warnings and hints alike: the document is valid AsyncAPI 3 and every $ref resolves.
    expect(diagnostics.map(({ severity, code, message, path }) => ({ severity: DiagnosticSeverity[severity], code, message, path: path.join('/') }))).toEqual([]);
    document = parsed!;
  }, 60_000);

  it('describes every topic family the code builds, with the messages each carries, and nothing else', () => {
    const described = Object.fromEntries(
      document.channels().all().map((channel) => [channel.address(), channel.messages().all().map((message) => message.name()).sort()]),
    );
    const built = Object.fromEntries(Object.entries(topicFamilies()).map(([address, messages]) => [address, messages.sort()]));
    expect(described).toEqual(built);
    // Not vacuous: a victim referral has two versions, and its v1 topic carries the downcast submission.
    expect(built['crescent.out.{agencyId}.victim-referrals.v1']).toContain('crescent.VictimReferralSubmitted.v1');
    expect(built['crescent.out.{agencyId}.victim-referrals.v2']).toContain('crescent.VictimReferralSubmitted.v2');
  });

  it('gives each message the payload schema its ce_dataschema names: contracts/events for an event, contracts/messages otherwise', () => {
    const payloads = document
      .allMessages()
      .all()
      .filter((message) => message.name() !== 'InboundCommand')
      .map((message) => {
        const [, type, version] = /^crescent\.([A-Za-z]+)\.v(\d+)$/.exec(message.name() ?? '') ?? [];
        const folder = EVENT_TYPES.has(type) ? 'events' : 'messages';
        return { message: message.name(), payload: message.payload()?.$id(), expected: `https://crescent.example/contracts/${folder}/${type}.v${version}.schema.json` };
      });
    expect(payloads.length).toBeGreaterThan(25);
    expect(payloads.filter(({ payload, expected }) => payload !== expected)).toEqual([]);
  });

  it('gives each message the headers of its kind: the relay\'s extensions on an event, none on a retraction, a dead letter or a reply', () => {
    const kinds = CLOUD_EVENT_HEADERS.$defs;
    const headers = document
      .allMessages()
      .all()
      .filter((message) => message.name() !== 'InboundCommand')
      .map((message) => {
        const [, type] = /^crescent\.([A-Za-z]+)\./.exec(message.name() ?? '') ?? [];
        const kind = EVENT_TYPES.has(type) ? 'delivery' : type === 'RecordSnapshot' ? 'snapshot' : 'core';
        return { message: message.name(), headers: message.headers()?.description(), expected: kinds[kind].description };
      });
    expect(headers.filter(({ headers, expected }) => headers !== expected)).toEqual([]);
  });

  it('names every command an agency may send on its inbound topic, as ce_type', () => {
    const inbound = document.allMessages().all().find((message) => message.name() === 'InboundCommand');
    const ceType = inbound?.headers()?.properties()?.ce_type?.enum();
    expect([...(ceType ?? [])].sort()).toEqual(COMMAND_ROUTES.map((route) => route.commandType).sort());
  });

  it('secures every server with the exchange\'s OAUTHBEARER tokens', () => {
    const servers = document.servers().all();
    expect(servers.map((server) => server.security().map((requirements) => requirements.all().map((requirement) => requirement.scheme().type())))).toEqual(
      servers.map(() => [['oauth2']]),
    );
    expect(servers.map((server) => server.protocol()).sort()).toEqual(['kafka', 'kafka-secure']);
  });
});
