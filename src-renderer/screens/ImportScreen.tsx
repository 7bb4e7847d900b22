// Import: drop or choose files → progress → outcome (results, overlap choice, cancel notice or error) + history.
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ConformanceReportDialog } from '../components/Conformance';
import { DropZone } from '../components/DropZone';
import { ErrorBox, Notice } from '../components/Feedback';
import { Icon } from '../components/Icon';
import { ImportHistory } from '../components/ImportHistory';
import { ImportOutcomeView } from '../components/ImportOutcome';
import { ImportProgressPanel } from '../components/ImportProgressPanel';
import { OverlapDialog } from '../components/OverlapDialog';
import { ScreenHeader } from '../components/ScreenHeader';
import { useApp } from '../state/app-store';
import { isImportBusy, useImport } from '../state/import-store';

export function ImportScreen() {
  const ws = useApp((s) => s.workspace);
  const imp = useImport(
    useShallow((s) => ({
      phase: s.phase,
      names: s.names,
      upload: s.upload,
      progress: s.progress,
      outcome: s.outcome,
      error: s.error,
      jobId: s.jobId,
      cancelling: s.cancelling,
      overlapDismissed: s.overlapDismissed,
      start: s.start,
      rerun: s.rerun,
      cancel: s.cancel,
      reset: s.reset,
      dismissOverlap: s.dismissOverlap,
    })),
  );
  const [report, setReport] = useState<{ importFileId: number; file: string } | null>(null);
  const busy = isImportBusy(imp.phase);

  return (
    <div className="screen">
      <ScreenHeader title="Import" subtitle={ws ? `Add billing exports to ${ws.name}` : undefined} />
      <DropZone onFiles={(files) => void imp.start(files)} disabled={busy} />

      {busy ? (
        <ImportProgressPanel
          phase={imp.phase}
          names={imp.names}
          upload={imp.upload}
          progress={imp.progress}
          canCancel={imp.phase === 'uploading' || imp.jobId !== null}
          cancelling={imp.cancelling}
          onCancel={() => void imp.cancel()}
        />
      ) : null}

      {imp.phase === 'error' && imp.error ? (
        <div data-testid="import-result" data-status="error">
          <ErrorBox
            error={imp.error}
            title="The import could not start"
            action={
              <button type="button" className="icon-button" aria-label="Dismiss" onClick={imp.reset}>
                <Icon name="x" />
              </button>
            }
          />
        </div>
      ) : null}

      {imp.phase === 'finished' && imp.outcome ? (
        imp.outcome.status === 'overlap' ? (
          imp.overlapDismissed ? (
            <Notice
              kind="info"
              action={
                <span className="notice-actions">
                  <button type="button" className="button small" onClick={() => useImport.setState({ overlapDismissed: false })}>
                    Review choice
                  </button>
                  <button type="button" className="button small" onClick={imp.reset}>
                    Dismiss
                  </button>
                </span>
              }
            >
              Nothing was imported: the delivery covers billing periods already in the workspace.
            </Notice>
          ) : (
            <OverlapDialog
              overlaps={imp.outcome.overlaps}
              onReplace={() => void imp.rerun('replace')}
              onAppend={() => void imp.rerun('append')}
              onCancel={imp.dismissOverlap}
            />
          )
        ) : (
          <ImportOutcomeView outcome={imp.outcome} onOpenReport={setReport} onDismiss={imp.reset} />
        )
      ) : null}

      <ImportHistory onOpenReport={setReport} />

      {report ? (
        <ConformanceReportDialog importFileId={report.importFileId} fileName={report.file} onClose={() => setReport(null)} />
      ) : null}
    </div>
  );
}
