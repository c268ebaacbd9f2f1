import { randomUUID } from 'node:crypto';
import { AdminModule } from '../../apps/admin/src/admin.module';
import { InboxModule } from '../../apps/inbox/src/inbox.module';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { RelayModule } from '../../apps/relay/src/relay.module';
import { AccessAudit } from '@crescent/audit';
import { commandReplyTopic, EXCHANGE_PRINCIPALS, fromCloudEventMessage, inboundCommandTopic, KafkaBus, MESSAGE_BUS, MessageBus } from '@crescent/messaging';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCIES } from '@crescent/runtime';
import { openSqlClient } from '@crescent/sql';
import { agencyKafkaToken, checkMessageContract, eventually, exchangeKafka, kafkaBrokers, request, RunningApp, startApp, TEST_DATABASE_URL, uniqueName } from '@crescent/test-support';
import { EXAMPLE_REFERRAL } from './fixtures';

const [hsi, , shelter] = DEMO_AGENCIES;

/** Values submitted in the referrals: none may reach the audit, in any column. */
const CANARIES = ['Canary-Zelda-7731', 'Canary-Quill-4410', '+1 504 555 7731', 'Canary Motel 7731'];
const WRONG_TOKEN = 'Canary-wrong-token-7731';

function canaryReferral(): object {
  return {
    ...EXAMPLE_REFERRAL,
    victim: { ...EXAMPLE_REFERRAL.victim, givenName: CANARIES[0], familyName: CANARIES[1], phone: CANARIES[2] },
    foundAt: { description: CANARIES[3], parish: 'Orleans' },
  };
}

/** The columns an admin reads to answer "who did what to which record, and how did it end". */
interface Seen {
  principal: string;
  action: string;
  category: string;
  recordType: string | null;
  recordId: string | null;
  outcome: string;
  status: number | null;
  code: string | null;
}

const AUDIT_READ: Seen = { principal: 'admin', action: 'GET /v1/admin/audit', category: 'audit-read', recordType: null, recordId: null, outcome: 'success', status: 200, code: null };

/**
 * CJIS 5.4 on the running exchange: every access of the issue, each by the principal and means the
 * exchange actually offers, then the audit read back as an admin reads it.
 */
describe('the access audit of the running exchange', () => {
  const schema = uniqueName('e2e_audit');
  let exchange: RunningApp;
  // The raw helper on purpose: the audit is checked against each request exactly as sent, paths no route serves and refused queries included.
  const as = (token: string, path: string, options: { method?: string; body?: unknown } = {}) => request(`${exchange.url}${path}`, { token, ...options });

  beforeAll(async () => {
    exchange = await startApp({ databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, kafkaBrokers: [] }, [IntakeModule, RelayModule, InboxModule, AdminModule]);
  });

  afterAll(() => exchange?.app.close());

  it('records one entry per access, naming principal, action, record and outcome, and no value or token', async () => {
    const started = new Date().toISOString();
    const expected: Seen[] = [];
    const accessed = (seen: Seen) => expected.push(seen);

    expect((await as(WRONG_TOKEN, '/v1/referrals', { method: 'POST', body: canaryReferral() })).status).toBe(401);
    accessed({ principal: 'anonymous', action: 'POST /v1/referrals', category: 'authentication', recordType: null, recordId: null, outcome: 'denied', status: 401, code: 'AUTH.UNKNOWN_CREDENTIAL' });

    const submitted = await as(hsi.token, '/v1/referrals', { method: 'POST', body: canaryReferral() });
    expect(submitted.status).toBe(201);
    const referralId: string = submitted.body.recordId;
    const hsiWrote = { principal: `agency:${hsi.agency.id}`, recordType: 'victim-referral', recordId: referralId };
    accessed({ ...hsiWrote, action: 'POST /v1/referrals', category: 'record-write', outcome: 'success', status: 201, code: null });

    expect((await as(hsi.token, `/v1/referrals/${referralId}`)).body.record.victim.givenName).toBe(CANARIES[0]);
    accessed({ ...hsiWrote, action: 'GET /v1/referrals/:id', category: 'record-read', outcome: 'success', status: 200, code: null });

    expect((await as(shelter.token, '/v1/inbox')).status).toBe(200);
    accessed({ principal: `agency:${shelter.agency.id}`, action: 'GET /v1/inbox', category: 'record-read', recordType: null, recordId: null, outcome: 'success', status: 200, code: null });

    expect((await as(hsi.token, '/v1/inbox')).status).toBe(403);
    accessed({ principal: `agency:${hsi.agency.id}`, action: 'GET /v1/inbox', category: 'record-read', recordType: null, recordId: null, outcome: 'denied', status: 403, code: 'INBOX.NOT_YOURS' });

    const preview = await as(DEMO_ADMIN_TOKEN, '/v1/admin/previews', {
      method: 'POST',
      body: { recipientAgencyId: shelter.agency.id, record: { recordType: 'victim-referral', recordId: referralId } },
    });
    expect(preview.status).toBe(200);
    accessed({ principal: 'admin', action: 'POST /v1/admin/previews', category: 'record-read', recordType: 'victim-referral', recordId: referralId, outcome: 'success', status: 200, code: null });

    const registered = await as(DEMO_ADMIN_TOKEN, '/v1/admin/agencies', {
      method: 'POST',
      body: { agencyId: 'nopd-special-victims', name: 'NOPD Special Victims Section', kind: 'local-law-enforcement', jurisdiction: [] },
    });
    expect(registered.status).toBe(201);
    accessed({ principal: 'admin', action: 'POST /v1/admin/agencies', category: 'admin-change', recordType: 'agency', recordId: 'nopd-special-victims', outcome: 'success', status: 201, code: null });

    expect((await as(DEMO_ADMIN_TOKEN, `/v1/admin/ledger?recordType=victim-referral&recordId=${referralId}`)).status).toBe(200);
    accessed({ principal: 'admin', action: 'GET /v1/admin/ledger', category: 'ledger-read', recordType: null, recordId: null, outcome: 'success', status: 200, code: null });

    expect((await as(hsi.token, '/v1/admin/audit')).status).toBe(401);
    accessed({ principal: 'anonymous', action: 'GET /v1/admin/audit', category: 'authentication', recordType: null, recordId: null, outcome: 'denied', status: 401, code: 'AUTH.NOT_AN_ADMIN' });

    // Its own entry is written once it has answered, so it first finds the ledger read, by category.
    const ledgerReads = await eventually('the ledger read in the audit', async () => {
      const found = await as(DEMO_ADMIN_TOKEN, '/v1/admin/audit?category=ledger-read');
      return found.body.rows.length > 0 ? found.body.rows : undefined;
    });
    expect(ledgerReads.map((row: { entry: Seen }) => row.entry.action)).toEqual(['GET /v1/admin/ledger']);

    const inbound = await sendInboundCommands(exchange.app.get<MessageBus>(MESSAGE_BUS));
    const hsiSent = { principal: `agency:${hsi.agency.id}`, action: 'kafka:SubmitVictimReferral', category: 'record-write', recordType: 'victim-referral', status: null };
    accessed({ ...hsiSent, recordId: inbound.acceptedRecordId, outcome: 'success', code: null });
    accessed({ ...hsiSent, recordId: null, outcome: 'failed', code: 'REQUEST.INVALID' });

    // Reads of the audit are accesses too, as many as polling took: the others are awaited by count.
    const store = exchange.app.get(AccessAudit);
    await eventually('every access in the audit', async () =>
      (await store.query({ limit: 1000 })).filter((row) => row.entry.category !== 'audit-read').length === expected.length ? true : undefined,
    );

    const audit = await as(DEMO_ADMIN_TOKEN, '/v1/admin/audit?limit=1000');
    expect(audit.status).toBe(200);
    const rows: { entry: Seen & { at: string; source: string } }[] = audit.body.rows;
    const seen = rows.map(({ entry: { principal, action, category, recordType, recordId, outcome, status, code } }) => ({ principal, action, category, recordType, recordId, outcome, status, code }));
    const key = (entry: Seen) => [entry.action, entry.principal, entry.outcome, entry.recordId].join(' ');
    const inOrder = (list: Seen[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
    expect(inOrder(seen.filter((entry) => entry.category !== 'audit-read'))).toEqual(inOrder(expected));
    const auditReads = seen.filter((entry) => entry.category === 'audit-read');
    expect(auditReads.length).toBeGreaterThan(0);
    expect(auditReads).toEqual(auditReads.map(() => AUDIT_READ));

    for (const { entry } of rows) {
      expect(entry.at >= started && entry.at <= new Date().toISOString()).toBe(true);
      expect(entry.source).toMatch(entry.action.startsWith('kafka:') ? /^crescent\.in\.hsi-new-orleans\.commands$/ : /127\.0\.0\.1$/);
    }

    // Once the read above has its own entry, the chain holds every row it returned and that one.
    await eventually('the last read in the audit', async () => ((await store.query({ limit: 1000 })).length > rows.length ? true : undefined));
    const verification = await as(DEMO_ADMIN_TOKEN, '/v1/admin/audit/verify');
    expect(verification.body).toEqual({ ok: true, rows: rows.length + 1 });

    // No value submitted, no token presented or issued, no query string: in any column of any row.
    const sql = await openSqlClient(TEST_DATABASE_URL, { schema });
    try {
      const everything = JSON.stringify(await sql.query('SELECT * FROM access_audit'));
      const secrets = [...CANARIES, WRONG_TOKEN, hsi.token, shelter.token, DEMO_ADMIN_TOKEN, registered.body.token];
      expect(secrets.filter((secret) => everything.includes(secret))).toEqual([]);
      expect(everything).not.toMatch(/\?|recordType=|category=|limit=/);
      expect(everything).toContain(referralId);
    } finally {
      await sql.close();
    }
  });

  it('pages newest first, and refuses a query it cannot answer', async () => {
    const first = await as(DEMO_ADMIN_TOKEN, '/v1/admin/audit?limit=2');
    const sequences: number[] = first.body.rows.map((row: { sequence: number }) => row.sequence);
    expect(sequences[0]).toBeGreaterThan(sequences[1]);
    expect(first.body.next).toBe(sequences[1]);
    const second = await as(DEMO_ADMIN_TOKEN, `/v1/admin/audit?limit=2&before=${first.body.next}`);
    expect(second.body.rows.map((row: { sequence: number }) => row.sequence)).toEqual([sequences[1] - 1, sequences[1] - 2]);

    for (const query of ['limit=0', 'limit=1001', 'principal=Maria%20Example', 'category=gossip', 'from=yesterday', 'recordID=x']) {
      expect({ query, ...(await as(DEMO_ADMIN_TOKEN, `/v1/admin/audit?${query}`)) }).toMatchObject({ query, status: 400, body: { code: 'REQUEST.INVALID' } });
    }
  });

  it('records a path no route serves, with no principal since no guard ran, and leaves health probes out', async () => {
    const store = exchange.app.get(AccessAudit);
    const before = (await store.query({ limit: 1 }))[0].sequence;
    expect((await as(hsi.token, '/v1/people/Canary-Zelda-7731?name=Canary-Quill-4410')).status).toBe(404);
    expect((await request(`${exchange.url}/health/ready`)).status).toBe(200);

    const [probe] = await eventually('the probe in the audit', async () => {
      const rows = await store.query({ category: 'unknown-route', limit: 10 });
      return rows.length > 0 ? rows : undefined;
    });
    expect(probe.entry).toMatchObject({ principal: 'anonymous', action: 'GET (no route)', recordId: null, outcome: 'failed', status: 404, code: 'HTTP.404' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The previous test's reads of the audit may still be landing: all but those.
    const since = (await store.query({ limit: 100 })).filter((row) => row.sequence > before && row.entry.category !== 'audit-read');
    expect(since.map((row) => row.entry.action)).toEqual(['GET (no route)']);
  });

  /** An agency system's two commands on its inbound topic: one accepted, one refused as invalid. */
  async function sendInboundCommands(bus: MessageBus): Promise<{ acceptedRecordId: string }> {
    const receipts: Record<string, unknown>[] = [];
    await bus.subscribe({ groupId: 'agency-replies', topics: [commandReplyTopic('', hsi.agency.id, 'receipts')] }, async (message) => {
      checkMessageContract(message);
      receipts.push(fromCloudEventMessage(message)!.data as Record<string, unknown>);
    });
    const send = (body: object) =>
      bus.publish([
        {
          topic: inboundCommandTopic('', hsi.agency.id),
          key: randomUUID(),
          value: JSON.stringify(body),
          headers: { ce_specversion: '1.0', ce_id: randomUUID(), ce_type: 'SubmitVictimReferral' },
        },
      ]);
    await send(canaryReferral());
    const { victim, ...withoutVictim } = canaryReferral() as { victim: object };
    expect(victim).toBeDefined();
    await send(withoutVictim);
    expect(receipts).toHaveLength(1);
    return { acceptedRecordId: receipts[0].recordId as string };
  }
});

describe('the access audit of an inbound command over the real broker', () => {
  const namespace = `${uniqueName('e2e')}.`;
  let admin: RunningApp;
  let intake: RunningApp;
  let agencySystem: KafkaBus;

  beforeAll(async () => {
    const shared = { databaseUrl: TEST_DATABASE_URL, databaseSchema: uniqueName('e2e_audit_kafka'), topicNamespace: namespace };
    admin = await startApp({ ...shared, ...exchangeKafka(EXCHANGE_PRINCIPALS.admin) }, [AdminModule]);
    intake = await startApp({ ...shared, ...exchangeKafka(EXCHANGE_PRINCIPALS.intake) }, [IntakeModule]);
    agencySystem = await KafkaBus.connect({ brokers: kafkaBrokers(), clientId: uniqueName('agency-system'), token: () => agencyKafkaToken(intake.url, hsi.token), createsTopics: false });
  });

  afterAll(async () => {
    await agencySystem?.close();
    await intake?.app.close();
    await admin?.app.close();
  });

  it('records the command as a write by the agency owning the topic, on the record it created', async () => {
    const topic = inboundCommandTopic(namespace, hsi.agency.id);
    await agencySystem.publish([
      { topic, key: randomUUID(), value: JSON.stringify(canaryReferral()), headers: { ce_specversion: '1.0', ce_id: randomUUID(), ce_type: 'SubmitVictimReferral' } },
    ]);

    const store = intake.app.get(AccessAudit);
    const [row] = await eventually('the inbound command in the audit', async () => {
      const rows = await store.query({ principal: `agency:${hsi.agency.id}`, category: 'record-write', limit: 10 });
      return rows.length > 0 ? rows : undefined;
    });
    expect(row.entry).toMatchObject({ action: 'kafka:SubmitVictimReferral', category: 'record-write', recordType: 'victim-referral', source: topic, outcome: 'success', status: null, code: null });
    // The entry names the record the command created: the agency reads it back under that id.
    const read = await request(`${intake.url}/v1/referrals/${row.entry.recordId}`, { token: hsi.token });
    expect(read.body.record.victim.givenName).toBe(CANARIES[0]);
  });
});
