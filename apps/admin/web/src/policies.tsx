import { useEffect, useState } from 'react';
import { AgencySelect } from './agencies';
import { type Api, Field, Notice, type Schema, Table, unwrap, useAction, useLoad } from '@crescent/web';

type PolicyVersion = Schema<'SharingPolicyVersionDto'>;
type PolicyDraft = Schema<'SharingPolicyDto'>;
type RecordType = PolicyDraft['recordType'];

const WEEK_MS = 7 * 24 * 3600 * 1000;

const appliesToText = ({ appliesTo }: PolicyDraft) => appliesTo.agencyId ?? `every ${appliesTo.agencyKind}`;

/** The draft editor starts from the version shown: the policy's terms without its id, version and time. */
function draftOf({ appliesTo, recordType, purpose, addresseeOnly, rules }: PolicyVersion): string {
  return JSON.stringify({ appliesTo, recordType, purpose, addresseeOnly, rules }, null, 2);
}

export function PoliciesPage({ api }: { api: Api }) {
  const policies = useLoad(() => unwrap(api.GET('/v1/admin/policies')), [api]);
  const [selected, setSelected] = useState<string>();
  const policy = policies.data?.policies.find(({ policyId }) => policyId === selected);
  return (
    <>
      <h1>Sharing policies</h1>
      {policies.error && <Notice kind="error">{policies.error}</Notice>}
      <Table caption="The current version of every policy. A field reaches an agency only when a rule grants it, and never against the law." columns={['Policy', 'Applies to', 'Records', 'Purpose', 'Version']}>
            {policies.data?.policies.map((version) => (
              <tr key={version.policyId}>
                <td>
                  <button type="button" className="secondary" aria-pressed={version.policyId === selected} onClick={() => setSelected(version.policyId)}>
                    {version.policyId}
                  </button>
                </td>
                <td>{appliesToText(version)}</td>
                <td>{version.recordType}</td>
                <td>{version.purpose}</td>
                <td>{version.version}</td>
              </tr>
            ))}
      </Table>
      {policy && <PolicyDetail key={`${policy.policyId}@${policy.version}`} api={api} current={policy} onPublished={policies.reload} />}
    </>
  );
}

function PolicyDetail({ api, current, onPublished }: { api: Api; current: PolicyVersion; onPublished: () => void }) {
  const path = { policyId: current.policyId };
  const versions = useLoad(() => unwrap(api.GET('/v1/admin/policies/{policyId}/versions', { params: { path } })), [api, current.policyId]);
  const [draft, setDraft] = useState(() => draftOf(current));
  const parsed = parseDraft(draft);
  const publish = useAction();
  return (
    <section className="card" aria-labelledby="policy-heading">
      <h2 id="policy-heading">
        {current.policyId}, version {current.version}
      </h2>
      <h3>History</h3>
      {versions.error && <Notice kind="error">{versions.error}</Notice>}
      <ol>
        {versions.data?.versions.map((version) => (
          <li key={version.version}>
            Version {version.version}, published {new Date(version.publishedAt).toLocaleString()}: {version.rules.length} rules{' '}
            <button type="button" className="secondary" onClick={() => setDraft(draftOf(version))}>
              Start a draft from version {version.version}
            </button>
          </li>
        ))}
      </ol>
      {versions.data && versions.data.versions.length > 1 && <PolicyDiff api={api} policyId={current.policyId} latest={current.version} />}
      <div className="split">
        <div>
          <h3>Draft</h3>
          <Field label="Draft policy (JSON)" hint="Edit the rules; the preview beside follows every change. Nothing changes for anyone until you publish.">
            {(props) => <textarea {...props} rows={24} spellCheck={false} value={draft} onChange={(event) => setDraft(event.target.value)} />}
          </Field>
          {'error' in parsed && <Notice kind="error">The draft is not valid JSON yet: {parsed.error}</Notice>}
          <button
            type="button"
            disabled={publish.busy || 'error' in parsed}
            onClick={() => 'policy' in parsed && publish.run(async () => (await unwrap(api.POST('/v1/admin/policies/{policyId}/versions', { params: { path }, body: parsed.policy })), onPublished()))}
          >
            Publish as version {current.version + 1}
          </button>
          {publish.error && <Notice kind="error">{publish.error}</Notice>}
        </div>
        <Preview api={api} recordType={current.recordType} defaultRecipient={current.appliesTo.agencyId} draft={'policy' in parsed ? parsed.policy : undefined} />
      </div>
    </section>
  );
}

function parseDraft(text: string): { policy: PolicyDraft } | { error: string } {
  try {
    return { policy: JSON.parse(text) as PolicyDraft };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function PolicyDiff({ api, policyId, latest }: { api: Api; policyId: string; latest: number }) {
  const [from, setFrom] = useState(latest - 1);
  const [to, setTo] = useState(latest);
  const diff = useLoad(() => unwrap(api.GET('/v1/admin/policies/{policyId}/diff', { params: { path: { policyId }, query: { from, to } } })), [api, policyId, from, to]);
  const numbers = Array.from({ length: latest }, (_, index) => index + 1);
  const ruleText = (rule: Schema<'FieldRuleDto'>) => `${rule.path}: ${rule.action}${rule.to ? ` to ${rule.to}` : ''}${rule.keepLast ? ` keeping ${rule.keepLast}` : ''}`;
  return (
    <>
      <h3>Compare versions</h3>
      <div className="row">
        {(
          [
            ['From version', from, setFrom],
            ['To version', to, setTo],
          ] as const
        ).map(([label, value, set]) => (
          <Field key={label} label={label}>
            {(props) => (
              <select {...props} value={value} onChange={(event) => set(Number(event.target.value))}>
                {numbers.map((number) => (
                  <option key={number}>{number}</option>
                ))}
              </select>
            )}
          </Field>
        ))}
      </div>
      {diff.error && <Notice kind="error">{diff.error}</Notice>}
      {diff.data && (
        <ul aria-label="Differences">
          {diff.data.added.map((rule) => (
            <li key={`added-${rule.path}`}>Added {ruleText(rule)}</li>
          ))}
          {diff.data.removed.map((rule) => (
            <li key={`removed-${rule.path}`}>Removed {ruleText(rule)}</li>
          ))}
          {diff.data.changed.map((change) => (
            <li key={`changed-${change.path}`}>
              Changed {ruleText(change.from)} into {ruleText(change.to)}
            </li>
          ))}
          {diff.data.purpose && <li>Purpose changed</li>}
          {diff.data.addresseeOnly && <li>Addressee-only changed</li>}
          {diff.data.added.length + diff.data.removed.length + diff.data.changed.length === 0 && !diff.data.purpose && !diff.data.addresseeOnly && <li>No difference</li>}
        </ul>
      )}
    </>
  );
}

/** What a chosen agency would receive of a chosen record, field by field, under the draft (or the published policy). */
function Preview({ api, recordType, defaultRecipient, draft }: { api: Api; recordType: RecordType; defaultRecipient?: string; draft?: PolicyDraft }) {
  // Suggestions only: the records delivered in the last week, and none when the ledger cannot be read.
  const ledger = useLoad(() => unwrap(api.GET('/v1/admin/ledger', { params: { query: { from: new Date(Date.now() - WEEK_MS).toISOString(), to: new Date(Date.now() + 60_000).toISOString() } } })).catch(() => ({ rows: [] })), [api]);
  const [recipient, setRecipient] = useState(defaultRecipient ?? '');
  const [recordId, setRecordId] = useState('');
  const [underDraft, setUnderDraft] = useState(true);
  const [result, setResult] = useState<{ data?: Schema<'PreviewResultDto'>; error?: string }>({});
  const draftKey = JSON.stringify(draft);
  useEffect(() => {
    if (!recipient || !recordId) return setResult({});
    let current = true;
    // A short pause, so typing in the draft does not send a request per key.
    const timer = setTimeout(() => {
      const body = { recipientAgencyId: recipient, record: { recordType, recordId }, ...(underDraft && draft ? { draft } : {}) };
      unwrap(api.POST('/v1/admin/previews', { body })).then(
        (data) => current && setResult({ data }),
        (error: Error) => current && setResult({ error: error.message }),
      );
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // The draft is compared by its text: a new object with the same rules needs no new preview.
  }, [api, recipient, recordId, recordType, underDraft, draftKey]);
  const knownRecords = [...new Set(ledger.data?.rows.filter((row) => row.entry.recordType === recordType).map((row) => row.entry.recordId))].slice(-20);
  return (
    <div>
      <h3>Preview</h3>
      <AgencySelect api={api} label="Agency receiving" value={recipient} onChange={setRecipient} />
      <Field label={`Record id (${recordType})`} hint="Records already delivered are suggested.">
        {(props) => (
          <>
            <input {...props} list="known-records" value={recordId} onChange={(event) => setRecordId(event.target.value.trim())} />
            <datalist id="known-records">
              {knownRecords.map((id) => (
                <option key={id} value={id} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <div className="field">
        <label>
          <input type="checkbox" className="checkbox" checked={underDraft} onChange={(event) => setUnderDraft(event.target.checked)} />
          Preview under the draft (unchecked: under the published policy)
        </label>
      </div>
      <div aria-live="polite">
        {result.error && <Notice kind="error">{result.error}</Notice>}
        {result.data?.events.map((event, index) => (
          <PreviewedEvent key={event.eventId ?? index} event={event} />
        ))}
      </div>
    </div>
  );
}

function PreviewedEvent({ event }: { event: Schema<'PreviewedEventDto'> }) {
  const projection = event.projection;
  return (
    <section className="card" aria-label={`Preview of ${event.type}`}>
      <h4>{event.type}</h4>
      {!projection ? (
        <p>The agency receives nothing of this event.</p>
      ) : (
        <>
          <p className="hint">
            Under {projection.policyId === 'draft' ? 'the draft' : `${projection.policyId} version ${projection.policyVersion}`}
            {projection.consentIds.length > 0 ? `, with consent ${projection.consentIds.join(', ')}` : ''}
          </p>
          <Table columns={['Field', 'Outcome', 'Decided by']}>
                {projection.fields.map((field) => (
                  <tr key={field.path} data-field={field.path}>
                    <td>
                      <code>{field.path}</code>
                    </td>
                    <td>
                      <span className={`badge badge-${field.outcome === 'withheld' ? 'withheld' : 'included'}`}>{field.outcome}</span>
                    </td>
                    <td>{field.decidedBy}</td>
                  </tr>
                ))}
          </Table>
        </>
      )}
    </section>
  );
}
