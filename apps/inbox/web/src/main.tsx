import { createRoot } from 'react-dom/client';
import { useState } from 'react';
import '@crescent/web/base.css';

function App() {
  const [n, setN] = useState(0);
  return <button onClick={() => setN(n + 1)}>clicked {n}</button>;
}
createRoot(document.getElementById('root')!).render(<App />);
