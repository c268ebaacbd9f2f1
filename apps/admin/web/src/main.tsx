import { createRoot } from 'react-dom/client';
import { StrictMode } from 'react';
import '@crescent/web/base.css';
import { AdminConsole } from './admin-console';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AdminConsole />
  </StrictMode>,
);
