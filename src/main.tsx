import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createTrainingWorker, TrainingClient } from './client/trainingClient';
import { createPlaygroundStore } from './store/playgroundStore';
import { App } from './ui/App';
import { StoreProvider } from './ui/storeContext';
import './ui/styles.css';

// Wiring: worker events → store (batched per frame); store actions → worker commands.
let store: ReturnType<typeof createPlaygroundStore>;
const client = new TrainingClient(createTrainingWorker(), (events) => store.getState().applyEvents(events));
store = createPlaygroundStore(client);

// Exposed for the browser tests and for curious users in the console; read-only use.
(window as unknown as { __playground: typeof store }).__playground = store;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
