import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createTrainingWorker, TrainingClient } from './client/trainingClient';
import { readUrlState, syncUrlWithStore } from './client/urlSync';
import { defaultRunConfig } from './config/runConfig';
import { createPlaygroundStore } from './store/playgroundStore';
import { App } from './ui/App';
import { StoreProvider } from './ui/storeContext';
import './ui/styles.css';

// Wiring: worker events → store (batched per frame); store actions → worker commands; the draft
// config ↔ the URL fragment, so every configuration is a shareable, reproducible link.
const fromUrl = readUrlState();
// The client's callback runs only after the store exists (events arrive asynchronously).
const client = new TrainingClient(createTrainingWorker(), (events) => store.getState().applyEvents(events));
const store = createPlaygroundStore(client, fromUrl.state?.config ?? defaultRunConfig(), fromUrl.state?.hidden ?? [], fromUrl.state?.sweep);
if (fromUrl.error) store.setState({ globalError: fromUrl.error });
if (fromUrl.lesson) store.getState().openLesson(fromUrl.lesson);
syncUrlWithStore(store);
// Bring back the runs saved in this browser (reload, crash, closed tab).
client.send({ type: 'restoreRuns' });

// Exposed for the browser tests and for curious users in the console; read-only use.
(window as unknown as { __playground: typeof store }).__playground = store;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
