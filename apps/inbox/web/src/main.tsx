import { createRoot } from 'react-dom/client';
import { StrictMode } from 'react';
import '@crescent/web/base.css';
import { InboxApp } from './inbox-app';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <InboxApp />
  </StrictMode>,
);
