import { useEffect, useState, type ReactNode } from 'react';

/** Below this width the settings fold into a drawer, so Train and the first chart are on the first screen. */
const NARROW = '(max-width: 800px)';

function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setMatches(list.matches);
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}

/** The settings panel: beside the charts on wide screens, a closed drawer above them on phones. */
export function SettingsDrawer({ children }: { children: ReactNode }) {
  const narrow = useMediaQuery(NARROW);
  if (!narrow) return <>{children}</>;
  return (
    <details className="settings-drawer" data-testid="settings-drawer">
      <summary>Settings: data, model, training, privacy</summary>
      {children}
    </details>
  );
}
