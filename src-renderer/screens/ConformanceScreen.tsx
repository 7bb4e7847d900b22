// Conformance: every imported file with its FOCUS conformance, and the full report of the one selected. A page rather
// than a dialog, so a long report can be read, searched and linked to from the import results and history.
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import type { ImportRecord } from '../../src-shared/api/contract';
import { ConformanceReportView, overallStatus, StatusBadge } from '../components/Conformance';
import { ErrorBox, Skeleton } from '../components/Feedback';
import { ScreenHeader } from '../components/ScreenHeader';
import { formatDateTime } from '../format/dates';
import { formatInteger } from '../format/money';
import { useApp } from '../state/app-store';
import { useApi } from '../state/use-api';

/** The file to show first: the newest with failing rules, else the newest. */
function defaultFile(records: ImportRecord[]): ImportRecord | null {
  return records.find((r) => r.conformance.fail > 0) ?? records[0] ?? null;
}

export function ConformanceScreen() {
  const ws = useApp((s) => s.workspace);
  const selectedId = useApp((s) => s.reportFileId);
  const openReport = useApp((s) => s.openReport);
  const setView = useApp((s) => s.setView);
  const list = useApi('import.list', {});
  const records = useMemo(
    () => [...(list.data ?? [])].sort((a, b) => b.importedAt.localeCompare(a.importedAt)),
    [list.data],
  );
  const selected = records.find((r) => r.importFileId === selectedId) ?? defaultFile(records);
  const listRef = useRef<HTMLUListElement>(null);

  // keep the selected file in view when it was chosen from elsewhere (import results, history)
  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selected?.importFileId]);

  const onKey = (e: KeyboardEvent<HTMLUListElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    if (records.length === 0) return;
    const i = selected ? records.indexOf(selected) : -1;
    const next =
      e.key === 'Home' ? 0 : e.key === 'End' ? records.length - 1 : Math.min(records.length - 1, Math.max(0, i + (e.key === 'ArrowDown' ? 1 : -1)));
    openReport(records[next]!.importFileId);
    listRef.current?.querySelectorAll<HTMLElement>('[role="option"]')[next]?.focus();
  };

  const failing = records.filter((r) => r.conformance.fail > 0).length;
  return (
    <div className="screen conformance-screen">
      <ScreenHeader
        title="Conformance"
        subtitle={
          list.data ? (
            <>
              {ws?.name} · {formatInteger(records.length)} {records.length === 1 ? 'file' : 'files'} checked against the FOCUS rules
              {failing > 0 ? ` · ${failing} with failing rules` : ''}
            </>
          ) : (
            ws?.name
          )
        }
      />
      {list.error ? (
        <ErrorBox error={list.error} title="Could not load the imported files" onRetry={list.reload} />
      ) : !list.data ? (
        <div className="stack">
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} width="100%" height={20} />
          ))}
        </div>
      ) : records.length === 0 ? (
        <div className="panel panel-empty" data-testid="conformance-empty">
          <p>No files imported yet. Each file you import is checked against the FOCUS rules, and its report appears here.</p>
          <button type="button" className="button primary" onClick={() => setView('import')}>
            Import files
          </button>
        </div>
      ) : (
        <div className="conformance-layout">
          <nav className="panel conformance-files" aria-label="Imported files">
            <ul role="listbox" aria-label="Imported files" tabIndex={-1} ref={listRef} onKeyDown={onKey} data-testid="conformance-files">
              {records.map((r) => {
                const isSel = r.importFileId === selected?.importFileId;
                return (
                  <li
                    key={r.importFileId}
                    role="option"
                    aria-selected={isSel}
                    tabIndex={isSel ? 0 : -1}
                    className={`conformance-file${isSel ? ' selected' : ''}`}
                    onClick={() => openReport(r.importFileId)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        openReport(r.importFileId);
                      }
                    }}
                  >
                    <span className="conformance-file-name mono" title={r.file}>
                      {r.file}
                    </span>
                    <span className="conformance-file-meta">
                      <StatusBadge status={overallStatus(r.conformance)}>
                        {r.conformance.fail > 0 ? `${r.conformance.fail} failing` : undefined}
                      </StatusBadge>
                      <span className="muted small">
                        {formatInteger(r.rows)} rows · {formatDateTime(r.importedAt)}
                      </span>
                    </span>
                  </li>
                );
              })}
            </ul>
          </nav>
          <section className="panel panel-pad conformance-report-panel" aria-label="Conformance report">
            {selected ? <ConformanceReportView key={selected.importFileId} importFileId={selected.importFileId} fileName={selected.file} /> : null}
          </section>
        </div>
      )}
    </div>
  );
}
