import { useState } from 'react';
import { type Api, Field, Notice, type Schema, Table, unwrap, useAction, useLoad } from '@crescent/web';

type AgencyKind = Schema<'AgencyDto'>['kind'];
const AGENCY_KINDS: readonly { value: AgencyKind; label: string }[] = [
  { value: 'federal-law-enforcement', label: 'Federal law enforcement' },
  { value: 'local-law-enforcement', label: 'Local law enforcement' },
  { value: 'prosecutor', label: 'Prosecutor' },
  { value: 'victim-service-provider', label: 'Victim service provider' },
  { value: 'health-provider', label: 'Health provider' },
];

export const kindLabel = (kind: AgencyKind) => AGENCY_KINDS.find(({ value }) => value === kind)?.label ?? kind;

/** A token shown once, with the warning that it will not be shown again. */
function IssuedToken({ agencyId, token }: { agencyId: string; token: string }) {
  return (
    <Notice kind="success">
      New token for {agencyId}: <code>{token}</code>. Copy it now: the exchange keeps only its hash and cannot show it again.
    </Notice>
  );
}

export function AgenciesPage({ api }: { api: Api }) {
  const agencies = useLoad(() => unwrap(api.GET('/v1/admin/agencies')), [api]);
  const [issued, setIssued] = useState<{ agencyId: string; token: string }>();
  return (
    <>
      <h1>Agencies</h1>
      {issued && <IssuedToken {...issued} />}
      {agencies.error && <Notice kind="error">{agencies.error}</Notice>}
      <Table caption="Every registered agency. Only an active agency can sign in and receive records." columns={['Agency', 'Kind', 'Parishes', 'Status', 'Actions']}>
            {agencies.data?.agencies.map((agency) => (
              <tr key={agency.id}>
                <td>
                  {agency.name}
                  <br />
                  <code>{agency.id}</code>
                </td>
                <td>
                  {kindLabel(agency.kind)}
                  {agency.department ? ` (${agency.department})` : ''}
                </td>
                <td>{agency.jurisdiction.join(', ') || 'none'}</td>
                <td>
                  <span className="badge">{agency.status}</span>
                </td>
                <td>
                  <AgencyActions api={api} agency={agency} onIssued={setIssued} onChanged={agencies.reload} />
                </td>
              </tr>
            ))}
      </Table>
      <RegisterAgency api={api} onRegistered={(registered) => (setIssued(registered), agencies.reload())} />
    </>
  );
}

function AgencyActions({ api, agency, onIssued, onChanged }: { api: Api; agency: Schema<'AgencyDto'>; onIssued: (issued: { agencyId: string; token: string }) => void; onChanged: () => void }) {
  const action = useAction();
  const [reason, setReason] = useState('');
  const [graceHours, setGraceHours] = useState('24');
  const params = { path: { agencyId: agency.id } };
  if (agency.status === 'revoked') return <span className="hint">Revoked for good</span>;
  return (
    <div>
      <div className="row">
        <Field label={`Grace for ${agency.name}'s old tokens (hours)`}>
          {(props) => <input {...props} type="number" min={0} max={720} value={graceHours} onChange={(event) => setGraceHours(event.target.value)} />}
        </Field>
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            action.run(async () => onIssued(await unwrap(api.POST('/v1/admin/agencies/{agencyId}/credentials', { params, body: { graceSeconds: Number(graceHours) * 3600 } }))))
          }
        >
          Rotate credential
        </button>
      </div>
      {agency.status === 'active' ? (
        <div className="row">
          <Field label={`Reason to suspend ${agency.name}`}>{(props) => <input {...props} value={reason} onChange={(event) => setReason(event.target.value)} />}</Field>
          <button
            type="button"
            className="danger"
            disabled={action.busy}
            onClick={() => action.run(async () => (await unwrap(api.POST('/v1/admin/agencies/{agencyId}/suspension', { params, body: { reason } })), onChanged()))}
          >
            Suspend
          </button>
        </div>
      ) : (
        <button type="button" disabled={action.busy} onClick={() => action.run(async () => (await unwrap(api.DELETE('/v1/admin/agencies/{agencyId}/suspension', { params })), onChanged()))}>
          Reinstate
        </button>
      )}
      {action.error && <Notice kind="error">{action.error}</Notice>}
    </div>
  );
}

function RegisterAgency({ api, onRegistered }: { api: Api; onRegistered: (registered: { agencyId: string; token: string }) => void }) {
  const action = useAction();
  const [form, setForm] = useState({ agencyId: '', name: '', kind: 'victim-service-provider' as AgencyKind, department: '', jurisdiction: '' });
  const set = (name: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value });
  return (
    <section className="card" aria-labelledby="register-heading">
      <h2 id="register-heading">Register an agency</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const body = {
            agencyId: form.agencyId,
            name: form.name,
            kind: form.kind,
            ...(form.department ? { department: form.department as 'DHS' | 'DOJ' | 'State' } : {}),
            jurisdiction: form.jurisdiction.split(',').map((parish) => parish.trim()).filter(Boolean),
          };
          void action.run(async () => onRegistered(await unwrap(api.POST('/v1/admin/agencies', { body }))));
        }}
      >
        <div className="row">
          <Field label="Agency id" hint="Lower-case letters, digits and dashes, e.g. nola-legal-aid">
            {(props) => <input {...props} required value={form.agencyId} onChange={set('agencyId')} />}
          </Field>
          <Field label="Name">{(props) => <input {...props} required value={form.name} onChange={set('name')} />}</Field>
        </div>
        <div className="row">
          <Field label="Kind">
            {(props) => (
              <select {...props} value={form.kind} onChange={set('kind')}>
                {AGENCY_KINDS.map(({ value, label }) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Federal department" hint="Only for a federal component">
            {(props) => (
              <select {...props} value={form.department} onChange={set('department')}>
                <option value="">none</option>
                <option value="DHS">DHS</option>
                <option value="DOJ">DOJ</option>
                <option value="State">State</option>
              </select>
            )}
          </Field>
          <Field label="Parishes served" hint="Separated by commas">
            {(props) => <input {...props} value={form.jurisdiction} onChange={set('jurisdiction')} />}
          </Field>
        </div>
        <button type="submit" disabled={action.busy}>
          Register and issue a token
        </button>
        {action.error && <Notice kind="error">{action.error}</Notice>}
      </form>
    </section>
  );
}

const RECORD_TYPES = ['victim-referral', 'case', 'arrest-record', 'consent'] as const;

export function SubscriptionsPage({ api }: { api: Api }) {
  const subscriptions = useLoad(() => unwrap(api.GET('/v1/admin/subscriptions')), [api]);
  const action = useAction();
  const [form, setForm] = useState({ agencyId: '', recordType: 'victim-referral' as (typeof RECORD_TYPES)[number], backfill: false });
  const change = (verb: 'pause' | 'resume' | 'end', subscriptionId: string) =>
    action.run(async () => (await unwrap(api.POST(`/v1/admin/subscriptions/{subscriptionId}/${verb}`, { params: { path: { subscriptionId } } })), subscriptions.reload()));
  return (
    <>
      <h1>Subscriptions</h1>
      {(subscriptions.error ?? action.error) && <Notice kind="error">{subscriptions.error ?? action.error}</Notice>}
      <Table caption="What each agency asks to receive. Its sharing policy decides which fields it gets." columns={['Agency', 'Records', 'Schema version', 'Status', 'Actions']}>
            {subscriptions.data?.subscriptions.map((subscription) => (
              <tr key={subscription.subscriptionId}>
                <td>{subscription.agencyId}</td>
                <td>{subscription.recordType}</td>
                <td>{subscription.schemaVersion}</td>
                <td>
                  <span className="badge">{subscription.status}</span>
                </td>
                <td className="actions">
                  {subscription.status === 'active' && (
                    <button type="button" className="secondary" disabled={action.busy} onClick={() => change('pause', subscription.subscriptionId)}>
                      Pause<span className="visually-hidden"> {subscription.subscriptionId}</span>
                    </button>
                  )}
                  {subscription.status === 'paused' && (
                    <button type="button" className="secondary" disabled={action.busy} onClick={() => change('resume', subscription.subscriptionId)}>
                      Resume<span className="visually-hidden"> {subscription.subscriptionId}</span>
                    </button>
                  )}
                  {subscription.status !== 'ended' && (
                    <button type="button" className="danger" disabled={action.busy} onClick={() => change('end', subscription.subscriptionId)}>
                      End<span className="visually-hidden"> {subscription.subscriptionId}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
      </Table>
      <section className="card" aria-labelledby="subscribe-heading">
        <h2 id="subscribe-heading">Subscribe an agency</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void action.run(async () => (await unwrap(api.POST('/v1/admin/subscriptions', { body: form })), subscriptions.reload()));
          }}
        >
          <div className="row">
            <AgencySelect api={api} label="Agency" value={form.agencyId} onChange={(agencyId) => setForm({ ...form, agencyId })} />
            <Field label="Records">
              {(props) => (
                <select {...props} value={form.recordType} onChange={(event) => setForm({ ...form, recordType: event.target.value as (typeof RECORD_TYPES)[number] })}>
                  {RECORD_TYPES.map((type) => (
                    <option key={type}>{type}</option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <div className="field">
            <label>
              <input type="checkbox" className="checkbox" checked={form.backfill} onChange={(event) => setForm({ ...form, backfill: event.target.checked })} /> Also send the records it would
              have received before
            </label>
          </div>
          <button type="submit" disabled={action.busy}>
            Subscribe
          </button>
        </form>
      </section>
    </>
  );
}

/** A choice of one registered agency, by name. */
export function AgencySelect({ api, label, value, onChange }: { api: Api; label: string; value: string; onChange: (agencyId: string) => void }) {
  const agencies = useLoad(() => unwrap(api.GET('/v1/admin/agencies')), [api]);
  return (
    <Field label={label}>
      {(props) => (
        <select {...props} required value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">Choose an agency</option>
          {agencies.data?.agencies.map((agency) => (
            <option key={agency.id} value={agency.id}>
              {agency.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
