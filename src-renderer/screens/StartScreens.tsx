// Full-window states before a workspace is open: starting, building the demo, no workspace, start-up error.
import type { ApiError } from '../../src-shared/api/contract';
import { hasAccessToken, transportKind } from '../api/client';
import { ErrorBox, ProgressBar, Spinner } from '../components/Feedback';
import { Icon } from '../components/Icon';
import { useApp, type DemoProgress } from '../state/app-store';
import { openDemoWorkspace } from '../state/workspace-actions';

function Brand() {
  return (
    <div className="brand">
      <span className="brand-mark" aria-hidden="true">
        <Icon name="overview" size={18} />
      </span>
      Meterbook
    </div>
  );
}

export function Splash() {
  return (
    <div className="start-screen" aria-busy="true">
      <div className="start-card">
        <Brand />
        <div className="start-line">
          <Spinner /> Opening your workspace…
        </div>
      </div>
    </div>
  );
}

export function DemoProgressCard({ demo }: { demo: DemoProgress }) {
  const pct = Math.round(Math.min(1, Math.max(0, demo.fraction)) * 100);
  return (
    <div className="start-card" data-testid="demo-progress">
      <Brand />
      <h1 className="start-title">Welcome to Meterbook</h1>
      <p className="start-text">
        We’re preparing a demo workspace with a few months of sample cloud bills so you can look around. It takes a moment
        the first time and everything stays on this computer.
      </p>
      <ProgressBar fraction={demo.fraction > 0 ? demo.fraction : null} label="Preparing the demo workspace" />
      <div className="start-phase">
        <span>{demo.phase}</span>
        <span className="num">{demo.fraction > 0 ? `${pct}%` : ''}</span>
      </div>
    </div>
  );
}

export function DemoProgressScreen({ demo }: { demo: DemoProgress }) {
  return (
    <div className="start-screen" aria-live="polite">
      <DemoProgressCard demo={demo} />
    </div>
  );
}

/** Shown over the app when the demo is opened from the workspace menu. */
export function DemoOverlay({ demo }: { demo: DemoProgress }) {
  return (
    <div className="overlay" aria-live="polite">
      <DemoProgressCard demo={demo} />
    </div>
  );
}

export function StartError({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  const tokenProblem = error.code === 'unauthorized' || (transportKind === 'http' && !hasAccessToken);
  return (
    <div className="start-screen">
      <div className="start-card">
        <Brand />
        <ErrorBox error={error} title="Meterbook could not start" onRetry={onRetry} />
        {tokenProblem ? (
          <p className="start-text">
            In browser mode, open the exact address printed by <code>meterbook serve</code> — it includes a one-time
            access token (<code>?token=…</code>) that keeps other programs on this computer out.
          </p>
        ) : null}
      </div>
    </div>
  );
}

export function NoWorkspace() {
  const openDialog = useApp((s) => s.openDialog);
  const notifyError = useApp((s) => s.notifyError);
  return (
    <div className="start-screen">
      <div className="start-card">
        <Brand />
        <h1 className="start-title">No workspace is open</h1>
        <p className="start-text">Create a workspace for your billing data, open an existing one, or explore the demo.</p>
        <div className="start-actions">
          <button type="button" className="button primary" data-testid="new-workspace" onClick={() => openDialog('new-workspace')}>
            <Icon name="plus" size={14} /> New workspace…
          </button>
          <button type="button" className="button" onClick={() => openDialog('open-path')}>
            <Icon name="folder" size={14} /> Open by path…
          </button>
          <button
            type="button"
            className="button"
            onClick={() =>
              void openDemoWorkspace().then((r) => {
                if (!r.ok) notifyError('Could not open the demo workspace', r.error);
              })
            }
          >
            <Icon name="sparkle" size={14} /> Open demo
          </button>
        </div>
      </div>
    </div>
  );
}
