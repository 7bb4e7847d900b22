// Files imported into the open workspace (import.list), newest first.
import type { ImportRecord } from '../../src-shared/api/contract';
import { formatDateTime } from '../format/dates';
import { formatInteger } from '../format/money';
import { useApi } from '../state/use-api';
import { ConformanceCell } from './Conformance';
import { ErrorBox, Skeleton } from './Feedback';
import { Icon } from './Icon';
import { ACTION_LABEL } from './ImportOutcome';

export function ImportHistory({ onOpenReport }: { onOpenReport: (f: { importFileId: number; file: string }) => void }) {
  const list = useApi('import.list', {});
  const records: ImportRecord[] = [...(list.data ?? [])].sort((a, b) => b.importedAt.localeCompare(a.importedAt));

  return (
    <section className="panel" aria-labelledby="history-title" data-testid="import-history">
      <header className="panel-header">
        <h2 id="history-title">Imported files</h2>
        <span className="panel-meta">{list.data ? `${records.length} ${records.length === 1 ? 'file' : 'files'}` : ''}</span>
      </header>
      {list.error ? (
        <div className="panel-pad">
          <ErrorBox error={list.error} title="Could not load the import history" onRetry={list.reload} />
        </div>
      ) : !list.data ? (
        <div className="stack pad">
          {Array.from({ length: 3 }, (_, i) => (
            <Skeleton key={i} width="100%" height={18} />
          ))}
        </div>
      ) : records.length === 0 ? (
        <div className="panel-empty">No files imported yet. Imported files and their conformance reports appear here.</div>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>File</th>
                <th>Imported</th>
                <th className="right">Rows</th>
                <th>FOCUS</th>
                <th>Action</th>
                <th>Conformance</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <tr key={r.importFileId}>
                  <td className="file-cell" title={r.file}>
                    <Icon name="file" size={14} /> {r.file}
                  </td>
                  <td className="nowrap">{formatDateTime(r.importedAt)}</td>
                  <td className="right num">{formatInteger(r.rows)}</td>
                  <td>{r.focusVersion}</td>
                  <td>{ACTION_LABEL[r.action] ?? r.action}</td>
                  <td>
                    <ConformanceCell
                      summary={r.conformance}
                      fileName={r.file}
                      onOpen={() => onOpenReport({ importFileId: r.importFileId, file: r.file })}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
