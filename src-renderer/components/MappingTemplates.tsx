// Saved mapping templates (made in the mapping studio): list, delete, export to a JSON file and import one.
import { useState } from 'react';
import type { ApiError, MappingTemplate } from '../../src-shared/api/contract';
import { api } from '../api/client';
import { templatesFile, templatesFromJson } from '../format/mapping';
import { useApp } from '../state/app-store';
import { useApi } from '../state/use-api';
import { ErrorBox, Skeleton } from './Feedback';
import { Icon } from './Icon';

export function MappingTemplates() {
  const list = useApi('mapping.templates', {});
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<{ title: string; error: ApiError } | null>(null);
  const templates = [...(list.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const notify = useApp((s) => s.notify);

  const remove = async (t: MappingTemplate) => {
    setConfirming(null);
    const r = await api.call('mapping.deleteTemplate', { id: t.id });
    if (!r.ok) setError({ title: `Could not delete “${t.name}”`, error: r.error });
    else {
      setError(null);
      notify({
        kind: 'info',
        title: 'Template deleted',
        message: t.name,
        // saving the same template again restores it, id and all
        action: {
          label: 'Undo',
          run: () =>
            void api.call('mapping.saveTemplate', t).then((back) => {
              if (!back.ok) setError({ title: `Could not restore “${t.name}”`, error: back.error });
              list.reload();
            }),
        },
      });
    }
    list.reload();
  };

  const exportAll = () => {
    const blob = new Blob([templatesFile(templates)], { type: 'application/json' });
    const href = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = href;
    a.download = 'meterbook-mapping-templates.json';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 1000);
  };

  const importFile = async (file: File) => {
    const items = templatesFromJson(await file.text());
    if (!items) {
      setError({ title: 'Could not import templates', error: { code: 'bad-input', message: `${file.name} is not a Meterbook templates file (JSON).` } });
      return;
    }
    const r = await api.call('mapping.importTemplates', { templates: items as MappingTemplate[] });
    if (!r.ok) {
      setError({ title: `Could not import templates from ${file.name}`, error: r.error });
      return;
    }
    setError(null);
    notify({ kind: 'success', title: 'Templates imported', message: `${r.value.saved} from ${file.name}.` });
    list.reload();
  };

  return (
    <section className="panel" aria-labelledby="templates-title" data-testid="mapping-templates">
      <header className="panel-header">
        <h2 id="templates-title">Mapping templates</h2>
        <span className="panel-meta">{list.data ? `${templates.length} saved` : ''}</span>
        <span className="notice-actions">
          <input
            id="templates-import-input"
            className="visually-hidden"
            type="file"
            accept=".json,application/json"
            data-testid="templates-import-input"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) void importFile(f);
            }}
          />
          <label htmlFor="templates-import-input" className="button small">
            <Icon name="upload" size={13} /> Import templates
          </label>
          <button type="button" className="button small" onClick={exportAll} disabled={templates.length === 0} data-testid="templates-export">
            <Icon name="import" size={13} /> Export templates
          </button>
        </span>
      </header>
      {error ? (
        <div className="panel-pad">
          <ErrorBox
            error={error.error}
            title={error.title}
            compact
            action={
              <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setError(null)}>
                <Icon name="x" />
              </button>
            }
          />
        </div>
      ) : null}
      {list.error ? (
        <div className="panel-pad">
          <ErrorBox error={list.error} title="Could not load the templates" onRetry={list.reload} />
        </div>
      ) : !list.data ? (
        <div className="stack pad">
          <Skeleton width="100%" height={18} />
        </div>
      ) : templates.length === 0 ? (
        <div className="panel-empty">
          No templates yet. When a CSV is not a format Meterbook knows, map its columns once; files with the same columns
          then import directly.
        </div>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Source columns</th>
                <th className="right">Mapped</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {templates.map((t) => (
                <tr key={t.id} data-testid="template-row">
                  <td className="nowrap">{t.name}</td>
                  <td className="template-header" title={t.header.join(', ')}>
                    {t.header.join(', ')}
                  </td>
                  <td className="right num">{Object.keys(t.columns).length} FOCUS columns</td>
                  <td className="right nowrap">
                    {confirming === t.id ? (
                      <span className="notice-actions template-confirm">
                        <button type="button" className="button small danger" onClick={() => void remove(t)} data-testid="template-delete-confirm">
                          Delete “{t.name}”
                        </button>
                        <button type="button" className="button small" onClick={() => setConfirming(null)}>
                          Keep
                        </button>
                      </span>
                    ) : (
                      <button
                        type="button"
                        className="button small"
                        onClick={() => setConfirming(t.id)}
                        aria-label={`Delete template ${t.name}`}
                        data-testid="template-delete"
                      >
                        Delete
                      </button>
                    )}
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
