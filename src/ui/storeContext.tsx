import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { PlaygroundState, PlaygroundStore } from '../store/playgroundStore';

const StoreContext = createContext<PlaygroundStore | null>(null);

export function StoreProvider({ store, children }: { store: PlaygroundStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** Subscribe a component to a slice of the playground state. */
export function usePlayground<T>(selector: (s: PlaygroundState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('usePlayground must be used inside <StoreProvider>');
  return useStore(store, selector);
}

/** The store itself, for the rare component that needs to read it outside React's render. */
export function usePlaygroundStore(): PlaygroundStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('usePlaygroundStore must be used inside <StoreProvider>');
  return store;
}
