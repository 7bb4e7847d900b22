// Import: drop or choose files → progress → outcome (results, overlap choice, cancel notice or error) + history.
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ApiError, FileRef } from '../../src-shared/api/contract';
import { DropZone } from '../components/DropZone';
import { ErrorBox, Notice } from '../components/Feedback';
import { Icon } from '../components/Icon';
import { ImportHistory } from '../components/ImportHistory';
import { ImportOutcomeView } from '../components/ImportOutcome';
import { ImportProgressPanel } from '../components/ImportProgressPanel';
import { MappingTemplates } from '../components/MappingTemplates';
import { OverlapDialog } from '../components/OverlapDialog';
import { ScreenHeader } from '../components/ScreenHeader';
import { useApp } from '../state/app-store';
import { isImportBusy, useImport } from '../state/import-store';
import { useMappingStudio, type StudioTarget } from '../state/mapping-store';
import { MappingStudio } from './MappingStudio';

const CSV_ACCEPT = '.csv,.txt,.tsv,.gz,.csv.gz';

/** The file of a delivery that no format knew (the error names it), to open in the mapping studio. */
export function unknownFileTarget(error: ApiError, refs: FileRef[], names: string[]): StudioTarget | null {
  if (refs.length === 0) return null;
  const detail = error.detail as { file?: unknown } | undefined;
  const named = typeof detail?.file === 'string' ? detail.file : null;
  let i = named === null ? -1 : names.indexOf(named);
  if (i < 0) i = names.findIndex((n) => error.message.startsWith(`${n} `));
  if (i < 0) i = 0;
  const file = refs[i];
  return file ? { file, name: names[i] ?? 'file.csv' } : null;
}

export function ImportScreen() {
  const studio = useMappingStudio((s) => s.target);
  if (studio) return <MappingStudio key={JSON.stringify(studio.file)} target={studio} />;
  return <ImportMain />;
}

/** Outcomes already sent to the studio (so Cancel returns to the error instead of reopening). */
const autoOpened = new WeakSet<object>();

function ImportMain() {
  const ws = useApp((s) => s.workspace);
  const mapping = useMappingStudio(useShallow((s) => ({ uploading: s.uploading, error: s.error, openFile: s.openFile, open: s.open, clearError: s.clearError })));
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
      refs: s.refs,
      start: s.start,
      rerun: s.rerun,
      cancel: s.cancel,
      reset: s.reset,
      dismissOverlap: s.dismissOverlap,
    })),
  );
  const openReport = useApp((s) => s.openReport);
  const setReport = (f: { importFileId: number }) => openReport(f.importFileId);

  // A single file in a layout nobody knows goes straight to the mapping studio rather than stopping at an error.
  useEffect(() => {
    const o = imp.outcome;
    if (!o || o.status !== 'failed' || o.error.code !== 'unknown-format' || imp.refs.length !== 1 || autoOpened.has(o)) return;
    autoOpened.add(o);
    const t = unknownFileTarget(o.error, imp.refs, imp.names);
    if (t) mapping.open({ ...t, unknownLayout: true });
  }, [imp.outcome, imp.refs, imp.names, mapping]);
  const busy = isImportBusy(imp.phase);

  return (
    <div className="screen">
      <ScreenHeader title="Import" subtitle={ws ? `Add billing exports to ${ws.name}` : undefined} />
      <DropZone
        onFiles={(files) => void imp.start(files)}
        disabled={busy}
        extra={
          <div className="dropzone-note">
            A CSV in a layout Meterbook doesn’t know?
            <input
              id="map-file-input"
              className="visually-hidden"
              type="file"
              accept={CSV_ACCEPT}
              data-testid="map-file-input"
              disabled={busy || mapping.uploading}
              onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (f) void mapping.openFile(f);
              }}
            />
            <label htmlFor="map-file-input" className="link-button small" aria-disabled={busy || mapping.uploading} data-testid="map-file">
              {mapping.uploading ? 'Uploading…' : 'Map a CSV…'}
            </label>
          </div>
        }
      />

      {mapping.error ? (
        <ErrorBox
          error={mapping.error}
          title="Could not open the file in the mapping studio"
          compact
          action={
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={mapping.clearError}>
              <Icon name="x" />
            </button>
          }
        />
      ) : null}

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
          <ImportOutcomeView
            outcome={imp.outcome}
            onOpenReport={setReport}
            onDismiss={imp.reset}
            onMapColumns={() => {
              const o = imp.outcome;
              const t = o && o.status === 'failed' ? unknownFileTarget(o.error, imp.refs, imp.names) : null;
              if (t) mapping.open(t);
            }}
          />
        )
      ) : null}

      <ImportHistory onOpenReport={setReport} />

      <MappingTemplates />

    </div>
  );
}
