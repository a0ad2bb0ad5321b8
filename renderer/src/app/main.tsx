// Renderer entry: the base stylesheet first (each feature's follows with its screens), one store
// over the app's transport, render, then load the snapshot and follow pushes.
import '../ui/base.css';
import '../ui/controls.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { getTransport } from './bridge.ts';
import { createBadgeDeskStore } from './store.ts';
import { StoreContext } from './use-store.ts';

const store = createBadgeDeskStore(getTransport());
const container = document.getElementById('root');
if (!container) throw new Error('missing #root');
createRoot(container).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
void store.getState().start();
