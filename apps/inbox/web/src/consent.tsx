import { useState } from 'react';
import { type Api, Field, Notice, type Schema, unwrap, useAction } from '@crescent/web';
import { CONSENT_FIELDS, CONSENT_PURPOSES, fieldWords, GUARDIAN_RELATIONSHIPS } from './words';

/** Checkboxes for a set of values, in a fieldset named by its legend. */
function Choices({ legend, options, chosen, onChange }: { legend: string; options: readonly { value: string; label: string }[]; chosen: readonly string[]; onChange: (chosen: string[]) => void }) {
  return (
    <fieldset className="field">
      <legend>{legend}</legend>
      {options.map(({ value, label }) => (
        <label key={value}>
          <input
            type="checkbox"
            className="checkbox"
            checked={chosen.includes(value)}
            onChange={(event) => onChange(event.target.checked ? [...chosen, value] : chosen.filter((item) => item !== value))}
          />
          {label}
        </label>
      ))}
    </fieldset>
  );
}

/** A date `days` from today, as the date input shows it. */
const dateIn = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The victim's written consent to share with named agencies: recorded here, and revoked here when she withdraws it. */
export function ConsentSection({ api, referralId, senderAgencyId, minor, consents, onChanged }: { api: Api; referralId: string; senderAgencyId?: string; minor: boolean; consents: readonly Schema<'InboxConsentDto'>[]; onChanged: () => void }) {
  const [form, setForm] = useState({ recipients: senderAgencyId ? [senderAgencyId] : [], other: '', purposes: ['victim-services'], fields: ['status'], expires: dateIn(90), guardianName: '', guardianRelationship: 'mother' });
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const action = useAction();
  const record = () =>
    action.run(async () => {
      const body = {
        recipients: [...form.recipients, ...form.other.split(',').map((id) => id.trim()).filter(Boolean)],
        purposes: form.purposes as Schema<'NewConsentDto'>['purposes'],
        fields: form.fields,
        // The end of the chosen day, where the caseworker is.
        expiresAt: new Date(`${form.expires}T23:59:59`).toISOString(),
        ...(minor ? { guardian: { name: form.guardianName, relationship: form.guardianRelationship as Schema<'GuardianDto'>['relationship'] } } : {}),
      };
      await unwrap(api.POST('/v1/inbox/referrals/{id}/consents', { params: { path: { id: referralId } }, body }));
      onChanged();
    });
  const revoke = (consentId: string) =>
    action.run(async () => {
      await unwrap(api.POST('/v1/inbox/consents/{id}/revocation', { params: { path: { id: consentId } }, body: { reason: reasons[consentId] ?? '' } }));
      onChanged();
    });
  return (
    <section className="card" aria-labelledby="consent-heading">
      <h2 id="consent-heading">Her consent to share</h2>
      <p>Nothing about her services reaches another agency unless she agreed in writing, knowing what is shared, with whom, and until when.</p>
      {consents.map((consent) => (
        <div key={consent.consentId} className="card">
          <p>
            Shares {consent.fields.map((field) => (field === 'status' ? 'updates on her referral' : fieldWords(field))).join(', ')} with {consent.recipients.join(', ')} for{' '}
            {consent.purposes.map((purpose) => CONSENT_PURPOSES.find(({ value }) => value === purpose)?.label.toLowerCase() ?? purpose).join(', ')}, until {new Date(consent.expiresAt).toLocaleDateString()}.
          </p>
          {consent.revokedAt ? (
            <p>She withdrew this consent on {new Date(consent.revokedAt).toLocaleString()}.</p>
          ) : (
            <form
              className="row"
              onSubmit={(event) => {
                event.preventDefault();
                void revoke(consent.consentId);
              }}
            >
              <Field label="Why she withdraws it">
                {(props) => <input {...props} required value={reasons[consent.consentId] ?? ''} onChange={(event) => setReasons({ ...reasons, [consent.consentId]: event.target.value })} />}
              </Field>
              <button type="submit" className="danger" disabled={action.busy}>
                Withdraw this consent
              </button>
            </form>
          )}
        </div>
      ))}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void record();
        }}
      >
        <h3>Record a new consent</h3>
        {senderAgencyId && (
          <Choices legend="Share with" options={[{ value: senderAgencyId, label: `${senderAgencyId} (who sent the referral)` }]} chosen={form.recipients} onChange={(recipients) => setForm({ ...form, recipients })} />
        )}
        <Field label="Other agencies" hint="Their agency ids, separated by commas">
          {(props) => <input {...props} value={form.other} onChange={(event) => setForm({ ...form, other: event.target.value })} />}
        </Field>
        <Choices legend="For" options={CONSENT_PURPOSES} chosen={form.purposes} onChange={(purposes) => setForm({ ...form, purposes })} />
        <Choices legend="What" options={CONSENT_FIELDS} chosen={form.fields} onChange={(fields) => setForm({ ...form, fields })} />
        <Field label="Until" hint="At most a year">
          {(props) => <input {...props} type="date" required value={form.expires} onChange={(event) => setForm({ ...form, expires: event.target.value })} />}
        </Field>
        {minor && (
          <div className="row">
            <Field label="Parent or guardian who agreed" hint="Not someone suspected in the case">
              {(props) => <input {...props} required value={form.guardianName} onChange={(event) => setForm({ ...form, guardianName: event.target.value })} />}
            </Field>
            <Field label="Their relationship to her">
              {(props) => (
                <select {...props} value={form.guardianRelationship} onChange={(event) => setForm({ ...form, guardianRelationship: event.target.value })}>
                  {GUARDIAN_RELATIONSHIPS.map((relationship) => (
                    <option key={relationship}>{relationship}</option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        )}
        <button type="submit" disabled={action.busy}>
          Record her written consent
        </button>
      </form>
      {action.error && <Notice kind="error">{action.error}</Notice>}
    </section>
  );
}
