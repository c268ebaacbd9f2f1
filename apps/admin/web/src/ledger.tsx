import { useState } from 'react';
import { type Api, Field, Notice, type Schema, Table, unwrap, useAction, useLoad } from '@crescent/web';

type LedgerQuery = { recordType?: Schema<'RecordRefDto'>['recordType']; recordId?: string; recipient?: string; from?: string; to?: string };

const RECORD_TYPES = ['victim-referral', 'case', 'arrest-record', 'consent'] as const;

/** A datetime-local value (the browser's local time) as an ISO instant; empty stays absent. */
const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);

export function LedgerPage({ api }: { api: Api }) {
  const [form, setForm] = useState({ recordType: 'victim-referral', recordId: '', recipient: '', from: '', to: '' });
  const [query, setQuery] = useState<LedgerQuery>();
  const ledger = useLoad(() => (query ? unwrap(api.GET('/v1/admin/ledger', { params: { query } })) : Promise.resolve(undefined)), [api, query]);
  const verification = useAction();
  const [chain, setChain] = useState<Schema<'ChainVerificationDto'>>();
  const set = (name: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value });
  return (
    <>
      <h1>Disclosure ledger</h1>
      <p>Who received what about a record, under which policy version and consent. Search by record, by receiving agency, or by time.</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const byRecord = form.recordId ? { recordType: form.recordType as LedgerQuery['recordType'], recordId: form.recordId } : {};
          setQuery({ ...byRecord, ...(form.recipient ? { recipient: form.recipient } : {}), from: instant(form.from), to: instant(form.to) });
        }}
      >
        <div className="row">
          <Field label="Record type">
            {(props) => (
              <select {...props} value={form.recordType} onChange={set('recordType')}>
                {RECORD_TYPES.map((type) => (
                  <option key={type}>{type}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Record id">{(props) => <input {...props} value={form.recordId} onChange={set('recordId')} />}</Field>
          <Field label="Receiving agency id">{(props) => <input {...props} value={form.recipient} onChange={set('recipient')} />}</Field>
        </div>
        <div className="row">
          <Field label="From">{(props) => <input {...props} type="datetime-local" value={form.from} onChange={set('from')} />}</Field>
          <Field label="Until">{(props) => <input {...props} type="datetime-local" value={form.to} onChange={set('to')} />}</Field>
        </div>
        <div className="actions">
          <button type="submit">Search the ledger</button>
          <button type="button" className="secondary" disabled={verification.busy} onClick={() => verification.run(async () => setChain(await unwrap(api.GET('/v1/admin/ledger/verification'))))}>
            Verify the hash chain
          </button>
        </div>
      </form>
      {verification.error && <Notice kind="error">{verification.error}</Notice>}
      {chain &&
        (chain.ok ? (
          <Notice kind="success">The ledger is intact: all {chain.rows} rows link to the one before and match their hashes.</Notice>
        ) : (
          <Notice kind="error">
            The ledger is broken at row {chain.firstBrokenSequence}: {chain.reason}. {chain.rows} rows before it are intact.
          </Notice>
        ))}
      {ledger.error && <Notice kind="error">{ledger.error}</Notice>}
      {ledger.data && (
        <Table caption={`${ledger.data.rows.length} disclosures, oldest first`} columns={['#', 'When', 'To', 'What', 'Policy', 'Disclosed', 'Withheld']}>
              {ledger.data.rows.map(({ sequence, entry }) => (
                <tr key={sequence}>
                  <td>{sequence}</td>
                  <td>{new Date(entry.deliveredAt).toLocaleString()}</td>
                  <td>{entry.recipientAgencyId}</td>
                  <td>
                    {entry.kind} of {entry.recordType} <code>{entry.recordId}</code>
                  </td>
                  <td>
                    {entry.policyId} v{entry.policyVersion}
                    {entry.consentIds.length > 0 && <> (consent {entry.consentIds.join(', ')})</>}
                  </td>
                  <td>{entry.disclosedFields.join(', ') || 'nothing'}</td>
                  <td>{entry.withheldFields.join(', ') || 'nothing'}</td>
                </tr>
              ))}
        </Table>
      )}
    </>
  );
}

export function DeadLettersPage({ api }: { api: Api }) {
  const deadLetters = useLoad(() => unwrap(api.GET('/v1/admin/dead-letters')), [api]);
  const replay = useAction();
  const [requested, setRequested] = useState<number>();
  const open = deadLetters.data?.deadLetters.filter(({ status }) => status === 'open').length ?? 0;
  return (
    <>
      <h1>Dead letters</h1>
      <p>Events the relay could not project or deliver. Fix the cause, then ask the relay to try them again.</p>
      {deadLetters.error && <Notice kind="error">{deadLetters.error}</Notice>}
      {replay.error && <Notice kind="error">{replay.error}</Notice>}
      {requested !== undefined && <Notice kind="success">The relay will try {requested} dead letters again.</Notice>}
      <button
        type="button"
        disabled={replay.busy || open === 0}
        onClick={() => replay.run(async () => (setRequested((await unwrap(api.POST('/v1/admin/dead-letters/replay'))).requested), deadLetters.reload()))}
      >
        Replay {open} open dead letters
      </button>
      <Table columns={['Since', 'Event', 'Stream', 'Reason', 'Status']}>
            {deadLetters.data?.deadLetters.map((letter) => (
              <tr key={letter.eventId}>
                <td>{new Date(letter.deadAt).toLocaleString()}</td>
                <td>
                  <code>{letter.eventId}</code>
                </td>
                <td>
                  {letter.streamId} @ {letter.revision}
                </td>
                <td>{letter.reason}</td>
                <td>
                  <span className="badge">{letter.status}</span>
                </td>
              </tr>
            ))}
            {deadLetters.data?.deadLetters.length === 0 && (
              <tr>
                <td colSpan={5}>No dead letters: every event was delivered.</td>
              </tr>
            )}
      </Table>
    </>
  );
}
