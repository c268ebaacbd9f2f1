import { useEffect, useRef, useState } from 'react';
import { type Api, Field, Link, Notice, type Schema, Table, unwrap, useLoad } from '@crescent/web';

type InboxStatus = Schema<'InboxItemDto'>['status'];
import { STATUS_WORDS, statusWords } from './words';

const PAGE_SIZE = 20;

/** The inbox: referrals by status with their counts, searched and paged; a new one shows up without a reload. */
export function ReferralListPage({ api }: { api: Api }) {
  const [status, setStatus] = useState<string>();
  const [search, setSearch] = useState({ q: '', receivedFrom: '', receivedTo: '', sort: '-receivedAt' as '-receivedAt' | 'receivedAt' });
  const [applied, setApplied] = useState(search);
  const [page, setPage] = useState(1);
  const [arrivals, setArrivals] = useState(0);
  const query = {
    ...(status ? { status: status as InboxStatus } : {}),
    ...(applied.q ? { q: applied.q } : {}),
    ...(applied.receivedFrom ? { receivedFrom: new Date(applied.receivedFrom).toISOString() } : {}),
    ...(applied.receivedTo ? { receivedTo: new Date(applied.receivedTo).toISOString() } : {}),
    sort: applied.sort,
    page,
    pageSize: PAGE_SIZE,
  };
  const list = useLoad(() => unwrap(api.GET('/v1/inbox/referrals', { params: { query } })), [api, JSON.stringify(query), arrivals]);
  useReferralStream(() => setArrivals((count) => count + 1));
  const counts: Record<string, number> = list.data?.counts ?? {};
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE));
  const choose = (next?: string) => (setStatus(next), setPage(1));
  return (
    <>
      <h1>Referrals</h1>
      <ul className="tabs" aria-label="Show referrals by status">
        <li>
          <button type="button" className="secondary" aria-pressed={!status} onClick={() => choose(undefined)}>
            All ({total})
          </button>
        </li>
        {Object.keys(STATUS_WORDS).map((code) => (
          <li key={code}>
            <button type="button" className="secondary" aria-pressed={status === code} onClick={() => choose(code)}>
              {statusWords(code)} ({counts[code] ?? 0})
            </button>
          </li>
        ))}
      </ul>
      <form
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(search);
          setPage(1);
        }}
      >
        <div className="row">
          <Field label="Search" hint="Names, needs, languages: only what you received">
            {(props) => <input {...props} type="search" value={search.q} onChange={(event) => setSearch({ ...search, q: event.target.value })} />}
          </Field>
          <Field label="Received from">{(props) => <input {...props} type="date" value={search.receivedFrom} onChange={(event) => setSearch({ ...search, receivedFrom: event.target.value })} />}</Field>
          <Field label="Received until">{(props) => <input {...props} type="date" value={search.receivedTo} onChange={(event) => setSearch({ ...search, receivedTo: event.target.value })} />}</Field>
          <Field label="Order">
            {(props) => (
              <select {...props} value={search.sort} onChange={(event) => setSearch({ ...search, sort: event.target.value as typeof search.sort })}>
                <option value="-receivedAt">Newest first</option>
                <option value="receivedAt">Oldest first</option>
              </select>
            )}
          </Field>
          <button type="submit">Search</button>
        </div>
      </form>
      <div aria-live="polite" className="hint">
        {arrivals > 0 && `The list was updated at ${new Date().toLocaleTimeString()} as referrals arrived or changed.`}
      </div>
      {list.error && <Notice kind="error">{list.error}</Notice>}
      {list.data && (
        <Table caption={`${list.data.total} ${list.data.total === 1 ? 'referral' : 'referrals'}${status ? ` ${statusWords(status).toLowerCase()}` : ''}`} columns={['Person', 'Status', 'Received', 'Sent by']}>
          {list.data.items.map((item) => (
            <tr key={item.referralId}>
              <td>
                <Link to={`/inbox/referrals/${item.referralId}`}>{item.victimDisplayName ?? 'Name not shared'}</Link>
                {item.minor && <span className="badge"> under 18</span>}
                {item.retracted && <span className="badge"> information taken back</span>}
              </td>
              <td>{statusWords(item.status)}</td>
              <td>{new Date(item.receivedAt).toLocaleString()}</td>
              <td>{item.senderName ?? item.senderAgencyId ?? 'not known'}</td>
            </tr>
          ))}
          {list.data.items.length === 0 && (
            <tr>
              <td colSpan={4}>No referrals here.</td>
            </tr>
          )}
        </Table>
      )}
      {pages > 1 && (
        <nav aria-label="Pages" className="actions">
          <button type="button" className="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Previous page
          </button>
          <span>
            Page {page} of {pages}
          </span>
          <button type="button" className="secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Next page
          </button>
        </nav>
      )}
    </>
  );
}

/** Calls `onReferral` for each referral the inbox receives or changes, from the server's event stream. */
export function useReferralStream(onReferral: (referralId: string) => void): void {
  const latest = useRef(onReferral);
  latest.current = onReferral;
  useEffect(() => {
    // Same origin: the session cookie goes along. EventSource reconnects by itself after a drop.
    const stream = new EventSource('/v1/inbox/stream');
    stream.addEventListener('referral', (event) => latest.current((JSON.parse((event as MessageEvent<string>).data) as { referralId: string }).referralId));
    return () => stream.close();
  }, []);
}
