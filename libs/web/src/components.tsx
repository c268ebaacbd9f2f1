import { type ReactNode, useCallback, useEffect, useId, useState } from 'react';
import { messageOf } from './api';
import { navigate } from './route';

/** A link inside the UI: the browser's own link (keyboard, new tab), followed without a reload. */
export function Link({ to, children, current }: { to: string; children: ReactNode; current?: boolean }) {
  return (
    <a
      href={to}
      aria-current={current ? 'page' : undefined}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

/** A labelled form control; `hint` is read out with it. */
export function Field({ label, hint, children }: { label: string; hint?: string; children: (props: { id: string; 'aria-describedby'?: string }) => ReactNode }) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {children({ id, 'aria-describedby': hint ? hintId : undefined })}
    </div>
  );
}

const NOTICE_ROLES = { error: 'alert', success: 'status', warning: undefined } as const;

/** A message; an error or a success is announced by the screen reader when it appears, a standing warning is read in place. */
export function Notice({ kind, children }: { kind: keyof typeof NOTICE_ROLES; children: ReactNode }) {
  return (
    <p className={`notice notice-${kind}`} role={NOTICE_ROLES[kind]}>
      {children}
    </p>
  );
}

/** The latest answer of `load`, reloaded when its inputs change or on `reload()`; an error as a message. */
export function useLoad<T>(load: () => Promise<T>, inputs: readonly unknown[]): { data?: T; error?: string; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setState({ data }),
      (error: unknown) => current && setState({ error: messageOf(error) }),
    );
    return () => {
      current = false;
    };
    // The caller names what the load depends on, as `inputs`.
  }, [...inputs, round]);
  return { ...state, reload: useCallback(() => setRound((n) => n + 1), []) };
}

/** Runs an action from a button or form: busy while it runs, its error kept to show; true when it succeeded. */
export function useAction(): { busy: boolean; error?: string; run: (action: () => Promise<unknown>) => Promise<boolean> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      return true;
    } catch (failure) {
      setError(messageOf(failure));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}

/** The frame of every page: a skip link, the title, the navigation and who is signed in. */
export function Shell({ title, nav, person, onSignOut, children }: { title: string; nav?: ReactNode; person?: string; onSignOut?: () => void; children: ReactNode }) {
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <p className="brand">{title}</p>
        {nav && <nav aria-label="Main">{nav}</nav>}
        {person && (
          <div className="who">
            <span>Signed in as {person}</span>
            <button type="button" className="secondary" onClick={onSignOut}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** A table that scrolls sideways on a phone rather than squeezing its columns, with its caption and headings. */
export function Table({ caption, columns, children }: { caption?: string; columns: readonly string[]; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table>
        {caption && <caption className="hint">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
