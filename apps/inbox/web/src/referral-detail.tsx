import { useState } from 'react';
import { type Api, Field, Notice, type Schema, unwrap, useAction, useLoad } from '@crescent/web';
import { ConsentSection } from './consent';
import { useReferralStream } from './referral-list';
import { fieldWords, statusWords, valueWords } from './words';

/** Leaf paths and values of what was received, in reading order; lists stay whole. */
function leaves(value: unknown, prefix = ''): [string, unknown][] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object' || Array.isArray(value)) return [[prefix, value]];
  return Object.entries(value).flatMap(([key, inner]) => leaves(inner, prefix ? `${prefix}.${key}` : key));
}

/** Where the shelter still decides: received (to acknowledge), acknowledged or asking (to accept or decline). */
const OPEN_STATUSES: readonly string[] = ['received', 'acknowledged', 'information-requested'];

/** Shown on their own below, or not worth a caseworker's attention. */
const SHOWN_APART = new Set(['referralId', 'referringAgencyId', 'dependents', 'referringOfficer.name', 'referringOfficer.phone', 'referringOfficer.badgeNumber', 'victim.isMinor']);

export function ReferralDetailPage({ api, referralId }: { api: Api; referralId: string }) {
  const params = { path: { id: referralId } };
  const detail = useLoad(() => unwrap(api.GET('/v1/inbox/referrals/{id}', { params })), [api, referralId]);
  // The sender's answer, a retraction or a status change shows as soon as the inbox has it.
  useReferralStream((changed) => changed === referralId && detail.reload());
  if (detail.error) return <Notice kind="error">{detail.error}</Notice>;
  const referral = detail.data;
  if (!referral) return <p>Loading…</p>;
  const name = referral.retracted ? 'Referral taken back' : (referral.victimDisplayName ?? 'Name not shared');
  return (
    <>
      <h1>
        {name} <span className="badge">{statusWords(referral.status)}</span>
      </h1>
      {referral.minor && <Notice kind="warning">This person is under 18. A parent or guardian who is not a suspect must agree to any sharing.</Notice>}
      {referral.retractions.map((retraction) => (
        <p className="retracted" key={retraction.at}>
          {referral.retracted
            ? `${retraction.note} (${new Date(retraction.at).toLocaleString()})`
            : `On ${new Date(retraction.at).toLocaleString()} details of this referral were taken back. What is shown below is what was sent again since: what we may hold now.`}
        </p>
      ))}
      {referral.retracted ? (
        <p>Nothing of this referral can be shown or worked any more. Its status and history stay below.</p>
      ) : (
        <ReferralWork api={api} referral={referral} onChanged={detail.reload} />
      )}
      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <ol>
          {referral.history.map((step) => (
            <li key={`${step.status}-${step.at}`}>
              {statusWords(step.status)}: {new Date(step.at).toLocaleString()}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

/** What was received, and the steps a caseworker takes on it. */
function ReferralWork({ api, referral, onChanged }: { api: Api; referral: Schema<'InboxDetailDto'>; onChanged: () => void }) {
  const { referralId } = referral;
  const received = leaves(referral.referral).filter(([path]) => !SHOWN_APART.has(path));
  return (
    <>
      <section className="card" aria-labelledby="received-heading">
        <h2 id="received-heading">What we received</h2>
        <dl className="facts">
          <dt>Sent by</dt>
          <dd>{referral.sender?.name ?? referral.sender?.agencyId ?? 'not known'}</dd>
          {received.map(([path, value]) => (
            <div key={path} className="pair">
              <dt>{fieldWords(path)}</dt>
              <dd>{valueWords(path, value)}</dd>
            </div>
          ))}
        </dl>
        {received.length === 0 && <p>Nothing else was shared with us about this person.</p>}
        <Dependents dependents={referral.dependents as readonly ReceivedDependent[] | undefined} />
        {referral.callback && (
          <>
            <h3>Who to call back</h3>
            <p>
              {referral.callback.name}
              {referral.callback.phone ? `, ${referral.callback.phone}` : ''} (the referring officer's work contact)
            </p>
          </>
        )}
      </section>
      <Actions api={api} referralId={referralId} status={referral.status} onDone={onChanged} />
      <Questions api={api} referralId={referralId} status={referral.status} questions={referral.questions} onAsked={onChanged} />
      <ConsentSection api={api} referralId={referralId} senderAgencyId={referral.sender?.agencyId} minor={Boolean(referral.minor)} consents={referral.consents} onChanged={onChanged} />
    </>
  );
}

/**
 * As the inbox sends them: relationship and age band. The contract names this schema DependentDto, like
 * intake's (relationship and exact age), and the OpenAPI document keeps intake's: typed here as sent.
 */
interface ReceivedDependent {
  readonly relationship: string;
  readonly ageBand?: string;
}

function Dependents({ dependents }: { dependents?: readonly ReceivedDependent[] }) {
  if (!dependents?.length) return null;
  return (
    <>
      <h3>Children and other dependents coming along</h3>
      <ul>
        {dependents.map((dependent, index) => (
          <li key={index}>
            {dependent.relationship}
            {dependent.ageBand && `, aged ${dependent.ageBand}`}
          </li>
        ))}
      </ul>
    </>
  );
}

/** What the caseworker can do with the referral where it stands. */
function Actions({ api, referralId, status, onDone }: { api: Api; referralId: string; status: string; onDone: () => void }) {
  const action = useAction();
  const params = { path: { id: referralId } };
  const done = (call: Promise<{ response: Response }>) => action.run(async () => (await unwrap(call), onDone()));
  if (!OPEN_STATUSES.includes(status)) return null;
  return (
    <section className="card" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Your decision</h2>
      {status === 'received' ? (
        <>
          <p>Acknowledge the referral first: then you can accept or decline it, or ask the sender a question.</p>
          <button type="button" disabled={action.busy} onClick={() => done(api.POST('/v1/inbox/referrals/{id}/acknowledgement', { params }))}>
            Acknowledge: we have it and are looking at it
          </button>
        </>
      ) : (
        <Decision api={api} referralId={referralId} done={done} busy={action.busy} />
      )}
      {action.error && <Notice kind="error">{action.error}</Notice>}
    </section>
  );
}

/** Accept or decline, once acknowledged (also while a question is open: the answer may have come by phone). */
function Decision({ api, referralId, done, busy }: { api: Api; referralId: string; done: (call: Promise<{ response: Response }>) => Promise<boolean>; busy: boolean }) {
  const [reason, setReason] = useState('');
  const params = { path: { id: referralId } };
  return (
    <>
      <button type="button" disabled={busy} onClick={() => done(api.POST('/v1/inbox/referrals/{id}/acceptance', { params }))}>
        Accept: we will serve her
      </button>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void done(api.POST('/v1/inbox/referrals/{id}/decline', { params, body: { reason } }));
        }}
      >
        <div className="row">
          <Field label="Reason for declining" hint="The sender reads this only if the victim agreed to share updates.">
            {(props) => <input {...props} required value={reason} onChange={(event) => setReason(event.target.value)} />}
          </Field>
          <button type="submit" className="danger" disabled={busy}>
            Decline
          </button>
        </div>
      </form>
    </>
  );
}

const ASKING: Record<string, string> = {
  received: 'Acknowledge the referral to ask the sender a question.',
  'information-requested': 'Waiting for the answer: you can ask another question once it comes.',
};

function Questions({ api, referralId, status, questions, onAsked }: { api: Api; referralId: string; status: string; questions: readonly Schema<'QuestionDto'>[]; onAsked: () => void }) {
  const [question, setQuestion] = useState('');
  const action = useAction();
  return (
    <section className="card" aria-labelledby="questions-heading">
      <h2 id="questions-heading">Questions to the sender</h2>
      {questions.length === 0 && <p>No questions asked yet.</p>}
      <ul>
        {questions.map((asked) => (
          <li key={asked.questionId}>
            <p>
              <strong>You asked</strong>
              {asked.askedAt && ` (${new Date(asked.askedAt).toLocaleString()})`}: {asked.question ?? 'a question no longer shown'}
            </p>
            <p>
              {asked.answer ? (
                <>
                  <strong>They answered</strong>
                  {asked.answeredAt && ` (${new Date(asked.answeredAt).toLocaleString()})`}: {asked.answer}
                </>
              ) : (
                'No answer yet.'
              )}
            </p>
          </li>
        ))}
      </ul>
      {ASKING[status] && <p>{ASKING[status]}</p>}
      {status === 'acknowledged' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void action.run(async () => {
              await unwrap(api.POST('/v1/inbox/referrals/{id}/questions', { params: { path: { id: referralId } }, body: { question } }));
              setQuestion('');
              onAsked();
            });
          }}
        >
          <Field label="Your question" hint="For example: is there a safe phone number to reach her?">
            {(props) => <textarea {...props} rows={3} required value={question} onChange={(event) => setQuestion(event.target.value)} />}
          </Field>
          <button type="submit" disabled={action.busy}>
            Send the question
          </button>
          {action.error && <Notice kind="error">{action.error}</Notice>}
        </form>
      )}
    </section>
  );
}
