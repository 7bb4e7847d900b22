// The mapping studio: for a CSV no built-in format knows, pick which source column (or constant) fills each FOCUS
// column, see the FOCUS rows it makes and their conformance live, then save the mapping as a template and import.
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ApiError, FileRef, MappingPreview, MappingTemplate, TableInspection } from '../../src-shared/api/contract';
import { columnsOf } from '../../src-shared/focus/catalog';
import { api } from '../api/client';
import { overallStatus, StatusBadge } from '../components/Conformance';
import { ErrorBox, Notice, Skeleton, Spinner } from '../components/Feedback';
import { Icon } from '../components/Icon';
import { ScreenHeader } from '../components/ScreenHeader';
import { formatInteger } from '../format/money';
import {
  buildTemplate,
  defaultTemplateName,
  guessMapping,
  guessOptions,
  missingRequired,
  RECOMMENDED_COLUMNS,
  REQUIRED_COLUMNS,
  sampleOf,
  type ColumnChoice,
  type MappingOptions,
} from '../format/mapping';
import { useApp } from '../state/app-store';
import { useImport } from '../state/import-store';
import { useMappingStudio, type StudioTarget } from '../state/mapping-store';
import { useApi } from '../state/use-api';

const CATALOG = new Map(columnsOf('CostAndUsage').map((c) => [c.name, c]));
const OFFERED = new Set<string>([...REQUIRED_COLUMNS, ...RECOMMENDED_COLUMNS]);
/** Rows of the preview table shown (the preview holds up to 1,000). */
const SHOWN_ROWS = 100;
const PREVIEW_DELAY_MS = 300;

export function MappingStudio({ target }: { target: StudioTarget }) {
  const inspection = useApi('mapping.inspect', { file: target.file });
  const close = useMappingStudio((s) => s.close);

  if (inspection.error) {
    return (
      <div className="screen">
        <StudioHeader name={target.name} onCancel={close} />
        <ErrorBox error={inspection.error} title="Could not read the file" onRetry={inspection.reload} />
      </div>
    );
  }
  if (!inspection.data) {
    return (
      <div className="screen" data-testid="mapping-studio" data-state="loading">
        <StudioHeader name={target.name} onCancel={close} />
        <div className="panel panel-pad stack" aria-busy="true">
          <span className="muted">
            <Spinner size={14} /> Reading the file’s header and first rows…
          </span>
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} width="100%" height={18} />
          ))}
        </div>
      </div>
    );
  }
  return <StudioEditor target={target} inspection={inspection.data} onCancel={close} />;
}

function StudioHeader({ name, onCancel, actions }: { name: string; onCancel: () => void; actions?: ReactNode }) {
  const unknown = useMappingStudio((s) => s.target?.unknownLayout ?? false);
  return (
    <ScreenHeader
      title="Map columns"
      subtitle={
        <>
          {unknown && <span data-testid="unknown-layout">No built-in format or saved template knows this file&apos;s layout. </span>}
          Tell Meterbook how <span className="mono">{name}</span> becomes FOCUS rows. The mapping is saved as a template, so
          files with the same columns import directly next time.
        </>
      }
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} data-testid="map-cancel">
            Cancel
          </button>
          {actions}
        </>
      }
    />
  );
}

type Draft = Record<string, ColumnChoice | undefined>;

function StudioEditor({ target, inspection, onCancel }: { target: StudioTarget; inspection: TableInspection; onCancel: () => void }) {
  const { header, rows } = inspection;
  const [columns, setColumns] = useState<Draft>(() => guessMapping(header));
  const [options, setOptions] = useState<MappingOptions>(() => guessOptions(header, rows, guessMapping(header)));
  const [name, setName] = useState(() => defaultTemplateName(target.name));
  const [extra, setExtra] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);

  const template = useMemo(() => buildTemplate(name, header, columns, options), [name, header, columns, options]);
  const preview = useDebouncedPreview(target.file, template);
  const missing = missingRequired(columns);

  const setColumn = (column: string, choice: ColumnChoice | undefined) => setColumns((c) => ({ ...c, [column]: choice }));

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    const saved = await api.call('mapping.saveTemplate', template);
    setSaving(false);
    if (!saved.ok) {
      setSaveError(saved.error);
      return;
    }
    useApp.getState().notify({ kind: 'success', title: 'Template saved', message: `“${saved.value.name}” — importing ${target.name}.` });
    useMappingStudio.getState().close();
    await useImport.getState().startPrepared([target.file], [target.name]);
  };

  const canSave = missing.length === 0 && !saving;
  const others = useMemo(
    () =>
      columnsOf('CostAndUsage')
        .filter((c) => !c.removedIn && !OFFERED.has(c.name) && !extra.includes(c.name))
        .map((c) => c.name)
        .sort(),
    [extra],
  );

  return (
    <div className="screen screen-fill studio-screen" data-testid="mapping-studio" data-state="ready">
      <StudioHeader
        name={target.name}
        onCancel={onCancel}
        actions={
          <button
            type="button"
            className="button primary"
            disabled={!canSave}
            onClick={() => void save()}
            data-testid="map-save-import"
            title={missing.length > 0 ? `Map ${missing.join(', ')} first` : undefined}
          >
            {saving ? <Spinner size={13} label="Saving" /> : <Icon name="import" size={15} />} Save template and import
          </button>
        }
      />

      {inspection.detected ? (
        <Notice kind="info">
          Meterbook already reads this file as <strong>{inspection.detected.label}</strong>: it imports without a mapping. A
          template saved here is used only for files no other format reads.
        </Notice>
      ) : null}
      {saveError ? <ErrorBox error={saveError} title="Could not save the template" compact /> : null}

      <OptionsBar name={name} onName={setName} options={options} onOptions={setOptions} />

      <div className="studio">
        <section className="panel studio-panel" aria-labelledby="studio-columns-title" data-testid="map-columns-panel">
          <header className="panel-header">
            <h2 id="studio-columns-title">FOCUS columns</h2>
            <span className="panel-meta">
              {header.length} source {header.length === 1 ? 'column' : 'columns'} · {rows.length} sample rows
            </span>
          </header>
          <div className="studio-scroll">
            <ColumnGroup title="Required" hint="A column or a constant for each">
              {REQUIRED_COLUMNS.map((c) => (
                <ColumnRow key={c} column={c} required inspection={inspection} choice={columns[c]} onChange={(v) => setColumn(c, v)} />
              ))}
            </ColumnGroup>
            <ColumnGroup title="Recommended" hint="Left unmapped, Meterbook fills a default">
              {RECOMMENDED_COLUMNS.map((c) => (
                <ColumnRow key={c} column={c} inspection={inspection} choice={columns[c]} onChange={(v) => setColumn(c, v)} />
              ))}
            </ColumnGroup>
            <ColumnGroup title="Other FOCUS columns">
              {extra.map((c) => (
                <ColumnRow
                  key={c}
                  column={c}
                  inspection={inspection}
                  choice={columns[c]}
                  onChange={(v) => setColumn(c, v)}
                  onRemove={() => {
                    setExtra((x) => x.filter((y) => y !== c));
                    setColumn(c, undefined);
                  }}
                />
              ))}
              <div className="map-add">
                <label htmlFor="map-add-column" className="visually-hidden">
                  Add a FOCUS column
                </label>
                <select
                  id="map-add-column"
                  className="select"
                  value=""
                  data-testid="map-add-column"
                  onChange={(e) => {
                    const c = e.target.value;
                    if (c) setExtra((x) => [...x, c]);
                  }}
                >
                  <option value="">Add a FOCUS column…</option>
                  {others.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </div>
            </ColumnGroup>
          </div>
        </section>

        <PreviewPanel state={preview} missing={missing} />
      </div>
    </div>
  );
}

function OptionsBar({
  name,
  onName,
  options,
  onOptions,
}: {
  name: string;
  onName: (n: string) => void;
  options: MappingOptions;
  onOptions: (o: MappingOptions) => void;
}) {
  const set = <K extends keyof MappingOptions>(k: K, v: MappingOptions[K]) => onOptions({ ...options, [k]: v });
  return (
    <section className="panel studio-options" aria-label="Template name and file conventions">
      <label className="studio-field studio-name">
        <span className="field-label">Template name</span>
        <input className="input" value={name} onChange={(e) => onName(e.target.value)} maxLength={200} data-testid="map-name" />
      </label>
      <label className="studio-field">
        <span className="field-label">Dates</span>
        <select
          className="select"
          value={options.dateOrder}
          onChange={(e) => set('dateOrder', e.target.value as MappingOptions['dateOrder'])}
          data-testid="map-date-order"
        >
          <option value="mdy">Month first (12/31/2025)</option>
          <option value="dmy">Day first (31/12/2025)</option>
        </select>
      </label>
      <label className="studio-field">
        <span className="field-label">Decimal separator</span>
        <select
          className="select"
          value={options.decimalSeparator}
          onChange={(e) => set('decimalSeparator', e.target.value as MappingOptions['decimalSeparator'])}
          data-testid="map-decimal"
        >
          <option value=".">Point (1234.56)</option>
          <option value=",">Comma (1234,56)</option>
        </select>
      </label>
      <label className="studio-field">
        <span className="field-label">Amounts in</span>
        <select
          className="select"
          value={options.amountDivisor}
          onChange={(e) => set('amountDivisor', e.target.value as MappingOptions['amountDivisor'])}
          data-testid="map-divisor"
        >
          <option value="1">Units (12.34)</option>
          <option value="100">Cents (1234 = 12.34)</option>
          <option value="1000">Thousandths (1/1,000)</option>
          <option value="1000000">Millionths (1/1,000,000)</option>
        </select>
      </label>
      <div className="studio-checks">
        <label className="check">
          <input
            type="checkbox"
            checked={options.endDateInclusive}
            onChange={(e) => set('endDateInclusive', e.target.checked)}
            data-testid="map-end-inclusive"
          />
          End dates include their last day
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={options.keepUnmapped}
            onChange={(e) => set('keepUnmapped', e.target.checked)}
            data-testid="map-keep-unmapped"
          />
          Keep unmapped columns as <span className="mono">x_</span> columns
        </label>
      </div>
    </section>
  );
}

function ColumnGroup({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  const id = useId();
  return (
    <div className="map-group" role="group" aria-labelledby={id}>
      <div className="map-group-title" id={id}>
        {title}
        {hint ? <span className="map-group-hint"> · {hint}</span> : null}
      </div>
      {children}
    </div>
  );
}

const CONSTANT = '\u0000constant';

function ColumnRow({
  column,
  required,
  inspection,
  choice,
  onChange,
  onRemove,
}: {
  column: string;
  required?: boolean;
  inspection: TableInspection;
  choice: ColumnChoice | undefined;
  onChange: (c: ColumnChoice | undefined) => void;
  onRemove?: () => void;
}) {
  const id = useId();
  const spec = CATALOG.get(column);
  const value = !choice ? '' : 'constant' in choice ? CONSTANT : choice.source;
  const isMissing = required && (!choice || ('constant' in choice && choice.constant.trim() === ''));
  return (
    <div className={`map-row${isMissing ? ' missing' : ''}${choice ? ' mapped' : ''}`} data-testid={`map-row-${column}`}>
      <label htmlFor={id} className="map-col-name" title={spec?.description}>
        <span className="mono">{column}</span>
        {required ? (
          <span className="map-required" aria-label="required">
            *
          </span>
        ) : null}
      </label>
      <div className="map-choice">
        <select
          id={id}
          className="select"
          value={value}
          data-testid={`map-source-${column}`}
          aria-invalid={isMissing || undefined}
          onChange={(e) => {
            const v = e.target.value;
            if (v === '') onChange(undefined);
            else if (v === CONSTANT) onChange({ constant: choice && 'constant' in choice ? choice.constant : '' });
            else onChange({ source: v });
          }}
        >
          <option value="">{required ? 'Choose a column…' : 'Not mapped'}</option>
          <optgroup label="Source columns">
            {inspection.header.map((h, i) =>
              h.trim() === '' ? null : (
                <option key={`${h}-${i}`} value={h}>
                  {optionLabel(h, sampleOf(inspection.header, inspection.rows, h))}
                </option>
              ),
            )}
          </optgroup>
          <option value={CONSTANT}>Constant…</option>
        </select>
        {onRemove ? (
          <button type="button" className="icon-button" aria-label={`Remove ${column}`} onClick={onRemove}>
            <Icon name="x" size={14} />
          </button>
        ) : null}
      </div>
      {choice && 'constant' in choice ? (
        <input
          className="input map-constant"
          value={choice.constant}
          placeholder={placeholderFor(column)}
          aria-label={`${column}: constant value`}
          data-testid={`map-constant-${column}`}
          autoFocus={choice.constant === ''}
          onChange={(e) => onChange({ constant: e.target.value })}
        />
      ) : null}
    </div>
  );
}

function optionLabel(header: string, sample: string | null): string {
  if (sample === null) return `${header} (empty)`;
  const s = sample.length > 28 ? `${sample.slice(0, 27)}…` : sample;
  return `${header} — ${s}`;
}

function placeholderFor(column: string): string {
  if (column === 'BillingCurrency' || column === 'PricingCurrency') return 'e.g. USD or EUR';
  if (column === 'ChargeCategory') return 'e.g. Usage';
  if (column.endsWith('Name')) return 'e.g. ACME';
  return 'Value for every row';
}

// ---------- preview ----------

interface PreviewState {
  /** The latest answer (kept while the next one loads). */
  data: MappingPreview | null;
  /** Why the latest preview failed (incomplete mapping, unreadable file…). */
  error: ApiError | null;
  loading: boolean;
}

/** mapping.preview, ~300 ms after the last edit; answers to earlier edits are dropped. */
function useDebouncedPreview(file: FileRef, template: MappingTemplate): PreviewState {
  const key = JSON.stringify([file, template]);
  const [answer, setAnswer] = useState<{ key: string; data: MappingPreview | null; error: ApiError | null }>({
    key: '',
    data: null,
    error: null,
  });
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      const [f, t] = JSON.parse(key) as [FileRef, MappingTemplate];
      void api.call('mapping.preview', { file: f, template: t }).then((r) => {
        if (mine !== seq.current) return;
        setAnswer(r.ok ? { key, data: r.value, error: null } : { key, data: null, error: r.error });
      });
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [key]);
  return { data: answer.data, error: answer.error, loading: answer.key !== key };
}

function PreviewPanel({ state, missing }: { state: PreviewState; missing: string[] }) {
  const p = state.data;
  return (
    <section
      className="panel studio-panel"
      aria-labelledby="studio-preview-title"
      data-testid="map-preview"
      data-state={state.loading ? 'loading' : state.error ? 'error' : 'ready'}
      aria-busy={state.loading}
    >
      <header className="panel-header">
        <h2 id="studio-preview-title">FOCUS preview</h2>
        {state.loading ? <Spinner size={14} label="Updating the preview" /> : null}
        <span className="panel-meta" data-testid="map-preview-count">
          {p ? `${formatInteger(p.rows.length)} ${p.rows.length === 1 ? 'row' : 'rows'} previewed${p.rows.length > SHOWN_ROWS ? ` · first ${SHOWN_ROWS} shown` : ''}` : ''}
        </span>
      </header>
      <div className="studio-scroll studio-preview-body">
        {state.error ? (
          <div className="panel-pad" data-testid="map-preview-problem">
            <ErrorBox
              error={state.error}
              compact
              title={state.error.code === 'bad-input' && missing.length > 0 ? 'The mapping is incomplete' : 'No preview for this mapping'}
            />
          </div>
        ) : !p ? (
          <div className="stack pad">
            {Array.from({ length: 8 }, (_, i) => (
              <Skeleton key={i} width="100%" height={18} />
            ))}
          </div>
        ) : (
          <div className={state.loading ? 'studio-stale' : undefined}>
            {p.error ? (
              <div className="panel-pad">
                <ErrorBox
                  error={{ code: 'row', message: p.error }}
                  compact
                  title={`The preview stops at this row: ${formatInteger(p.rows.length)} rows mapped before it`}
                />
              </div>
            ) : null}
            <ConformanceSummary report={p.conformance} />
            <PreviewTable preview={p} />
          </div>
        )}
      </div>
    </section>
  );
}

function ConformanceSummary({ report }: { report: MappingPreview['conformance'] }) {
  const failing = report.rules.filter((r) => r.status === 'fail');
  const s = report.summary;
  return (
    <div className="studio-conformance" data-testid="map-conformance" data-fail={s.fail}>
      <div className="studio-conformance-line">
        <span className="field-label">FOCUS conformance</span>
        <StatusBadge status={overallStatus(s)} />
        <span className="conformance-counts num">
          {s.pass} pass · {s.fail} fail · {s.skip} skip
        </span>
        <span className="muted small">over the previewed rows</span>
      </div>
      {failing.length > 0 ? (
        <details className="studio-failing">
          <summary>
            {failing.length} failing {failing.length === 1 ? 'rule' : 'rules'}
          </summary>
          <div className="table-scroll studio-failing-scroll">
            <table className="table compact">
              <thead>
                <tr>
                  <th>Rule</th>
                  <th>Requirement</th>
                  <th className="right">Failing rows</th>
                  <th>Sample rows</th>
                </tr>
              </thead>
              <tbody>
                {failing.map((r) => (
                  <tr key={r.id} data-testid="map-failing-rule">
                    <td className="mono nowrap">{r.id}</td>
                    <td>
                      <span className="keyword">{r.keyword}</span> {r.description}
                      {r.reason ? <div className="muted small">{r.reason}</div> : null}
                    </td>
                    <td className="right num">{r.failingRows > 0 ? formatInteger(r.failingRows) : '—'}</td>
                    <td className="num small">{r.samples.length > 0 ? r.samples.join(', ') + (r.failingRows > r.samples.length ? ', …' : '') : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
    </div>
  );
}

function PreviewTable({ preview }: { preview: MappingPreview }) {
  const rows = preview.rows.slice(0, SHOWN_ROWS);
  return (
    <div className="table-scroll studio-table-scroll">
      <table className="table preview-table" data-testid="map-preview-table">
        <thead>
          <tr>
            <th className="right" title="Row of the source file">
              Row
            </th>
            {preview.columns.map((c) => (
              <th key={c} className={c.startsWith('x_') ? 'preview-extra' : undefined}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={preview.columns.length + 1} className="table-empty">
                The file has no data rows.
              </td>
            </tr>
          ) : (
            rows.map((r, i) => (
              <tr key={i}>
                <td className="right num muted">{preview.sourceRows[i] ?? i + 1}</td>
                {r.map((v, j) => (
                  <td key={j} title={v} className={v === '' ? 'preview-null' : undefined}>
                    {v === '' ? 'null' : v}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
