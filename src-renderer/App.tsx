// The window: boot (open the current workspace, or the demo on first start), then sidebar + the active screen.
import { useCallback, useEffect, useState } from 'react';
import type { ApiError } from '../src-shared/api/contract';
import { api } from './api/client';
import { CommandPalette } from './components/CommandPalette';
import { RenameViewDialog, SaveViewDialog } from './components/SavedViewDialogs';
import { ShortcutsDialog } from './components/ShortcutsDialog';
import { Sidebar } from './components/Sidebar';
import { Toasts } from './components/Toasts';
import { NewWorkspaceDialog, OpenPathDialog } from './components/WorkspaceDialogs';
import { ConformanceScreen } from './screens/ConformanceScreen';
import { QualityScreen } from './screens/QualityScreen';
import { CompareScreen } from './screens/CompareScreen';
import { AllocationScreen } from './screens/AllocationScreen';
import { ExportDialog } from './components/ExportDialog';
import { DatasetsScreen } from './screens/DatasetsScreen';
import { ImportScreen } from './screens/ImportScreen';
import { OverviewScreen } from './screens/OverviewScreen';
import { RowsScreen } from './screens/RowsScreen';
import { DemoOverlay, DemoProgressScreen, NoWorkspace, Splash, StartError } from './screens/StartScreens';
import { useApp } from './state/app-store';
import { useEventBridge } from './state/use-events';
import { useShortcuts } from './state/use-shortcuts';
import { useUrlState } from './state/use-url-state';
import { useWindowDrop } from './state/use-window-drop';
import { openDemoWorkspace } from './state/workspace-actions';

type Boot = { status: 'loading' } | { status: 'ready' } | { status: 'error'; error: ApiError };

async function boot(): Promise<Boot> {
  const current = await api.call('workspace.current', {});
  if (!current.ok) return { status: 'error', error: current.error };
  if (current.value) {
    useApp.getState().setWorkspace(current.value);
    return { status: 'ready' };
  }
  // First start: show the demo workspace.
  const demo = await openDemoWorkspace();
  if (!demo.ok) return { status: 'error', error: demo.error };
  return { status: 'ready' };
}

/** Boot once per page (StrictMode mounts effects twice in development); Retry forces a new attempt. */
let booting: Promise<Boot> | null = null;
function bootOnce(force = false): Promise<Boot> {
  if (!booting || force) booting = boot();
  return booting;
}

export function App() {
  useEventBridge();
  useShortcuts();
  useUrlState();
  useWindowDrop();
  const [state, setState] = useState<Boot>({ status: 'loading' });
  const workspace = useApp((s) => s.workspace);
  const demo = useApp((s) => s.demo);

  const run = useCallback((force: boolean) => {
    void bootOnce(force).then(setState);
  }, []);
  useEffect(() => run(false), [run]);

  let content;
  if (state.status === 'error' && !workspace) {
    content = (
      <StartError
        error={state.error}
        onRetry={() => {
          setState({ status: 'loading' });
          run(true);
        }}
      />
    );
  } else if (!workspace) {
    content = demo ? <DemoProgressScreen demo={demo} /> : state.status === 'loading' ? <Splash /> : <NoWorkspace />;
  } else {
    content = <Shell />;
  }

  return (
    <>
      {content}
      {workspace && demo ? <DemoOverlay demo={demo} /> : null}
      <Dialogs />
      <Toasts />
    </>
  );
}

function Shell() {
  const view = useApp((s) => s.view);
  return (
    <div className="app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <Sidebar />
      <main id="main" className="main" tabIndex={-1}>
        {view === 'overview' ? (
          <OverviewScreen />
        ) : view === 'import' ? (
          <ImportScreen />
        ) : view === 'conformance' ? (
          <ConformanceScreen />
        ) : view === 'datasets' ? (
          <DatasetsScreen />
        ) : view === 'quality' ? (
          <QualityScreen />
        ) : view === 'compare' ? (
          <CompareScreen />
        ) : view === 'allocation' ? (
          <AllocationScreen />
        ) : (
          <RowsScreen />
        )}
      </main>
    </div>
  );
}

function Dialogs() {
  const dialog = useApp((s) => s.dialog);
  if (dialog === 'shortcuts') return <ShortcutsDialog />;
  if (dialog === 'new-workspace') return <NewWorkspaceDialog />;
  if (dialog === 'open-path') return <OpenPathDialog />;
  if (dialog === 'palette') return <CommandPalette />;
  if (dialog === 'save-view') return <SaveViewDialog />;
  if (dialog === 'rename-view') return <RenameViewDialog />;
  if (dialog === 'export') return <ExportDialog />;
  return null;
}
