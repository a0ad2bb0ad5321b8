// Renderer entry: choose the transport, render, then load the snapshot and follow pushes.
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { setTransport } from './bridge.ts';
import { useStore } from './store.ts';

async function boot(): Promise<void> {
  // Development preview without a host: `npx vite` then open /?mock (never in a production build).
  if (import.meta.env.DEV && !window.badgeDesk && new URLSearchParams(window.location.search).has('mock')) {
    const { createMockBridge } = await import('./dev/mock-bridge.ts');
    setTransport(createMockBridge());
  }
  const container = document.getElementById('root');
  if (!container) throw new Error('missing #root');
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  await useStore.getState().start();
}

void boot();
