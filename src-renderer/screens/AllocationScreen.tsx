// Allocation: the user's dimensions and the rules, pools and mappings that assign them, with a live preview that
// proves every dollar lands somewhere once; apply to all history as versions, compare versions, and show back.
import { useEffect, useMemo, useRef, type ChangeEvent, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { AllocationState } from '../../src-shared/api/allocation';
import type { WorkspaceInfo } from '../../src-shared/api/contract';
import { parseRuleSetJson, type RuleSet } from '../../src-shared/allocate/ruleset';
import { AliasList } from '../components/allocation/AliasList';
import { ApplyPanel } from '../components/allocation/ApplyPanel';
import { DimensionSettings, DimensionTabs, NoDimensions } from '../components/allocation/Dimensions';
import { DriversPanel } from '../components/allocation/DriversPanel';
import { InheritList } from '../components/allocation/InheritList';
import { PoolList } from '../components/allocation/PoolList';
import { PreviewPanel } from '../components/allocation/PreviewPanel';
import { RuleList, type IssuesById } from '../components/allocation/RuleList';
import { ShowbackView } from '../components/allocation/ShowbackView';
import { VersionsView } from '../components/allocation/VersionsView';
import { issueText, useAllocationPreview, useAllocationState, useDraftAutosave } from '../components/allocation/allocation-sync';
import { cleanDraft, draftIssues } from '../components/allocation/draft-check';
import { EmptyState } from '../components/EmptyState';
import { ErrorBox, Spinner } from '../components/Feedback';
import { Icon } from '../components/Icon';
import { ScreenHeader } from '../components/ScreenHeader';
import { periodsBetween } from '../format/dates';
import { modKey } from '../format/platform';
import { shownDimension, useAllocation, type AllocationTab } from '../state/allocation-store';
import { useApp } from '../state/app-store';
import { useDimensions } from '../state/use-dimensions';
import '../styles/allocation.css';

export function AllocationScreen() {
  const ws = useApp((s) => s.workspace);
  if (!ws) return null;
  if (ws.rows === 0) {
    return (
      <div className="screen">
        <ScreenHeader title="Allocation" subtitle={ws.name} />
        <EmptyState />
      </div>
    );
  }
  return <AllocationContent workspace={ws} />;
}

/** Ctrl/Cmd+Z undoes a rule edit, Ctrl/Cmd+Shift+Z (or Ctrl+Y) redoes it, wherever the cursor is in the rules. */
function useUndoKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || !(e.ctrlKey || e.metaKey)) return;
      if (document.querySelector('dialog[open]')) return;
      // fields that are not part of the rules (a note, a file path) keep the browser's own undo
      if (e.target instanceof Element && e.target.closest('[data-native-undo]')) return;
      const k = e.key.toLowerCase();
      const st = useAllocation.getState();
      if (k === 'z' && !e.shiftKey) st.undo();
      else if ((k === 'z' && e.shiftKey) || (k === 'y' && !e.shiftKey)) st.redo();
      else return;
      // the field's own undo would fight ours: every keystroke is already a draft edit
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function AllocationContent({ workspace }: { workspace: WorkspaceInfo }) {
  const state = useAllocationState();
  useDraftAutosave();
  useUndoKeys();
  const history = useAllocation((s) => s.history);
  const loadedFor = useAllocation((s) => s.workspacePath);
  const tab = useAllocation((s) => s.tab);
  const months = useMemo(
    () => (workspace.firstDay && workspace.lastDay ? periodsBetween(workspace.firstDay, workspace.lastDay, 'month') : []),
    [workspace.firstDay, workspace.lastDay],
  );

  if (!history || loadedFor !== workspace.path) {
    return (
      <div className="screen">
        <ScreenHeader title="Allocation" subtitle={workspace.name} />
        {state.error ? (
          <ErrorBox error={state.error} title="Could not load the allocation rules" onRetry={state.reload} />
        ) : (
          <section className="panel alloc-pad alloc-loading">
            <Spinner label="Loading the rules" /> <span className="muted">Loading the allocation rules…</span>
          </section>
        )}
      </div>
    );
  }
  const set = history.present;
  return (
    <div className="screen alloc-screen" data-testid="allocation-screen">
      <ScreenHeader title="Allocation" subtitle={<HeaderStatus name={workspace.name} />} actions={<DraftActions set={set} />} />
      <Tabs tab={tab} versions={state.data?.versions.length ?? 0} />
      <div role="tabpanel" id={`alloc-panel-${tab}`} aria-labelledby={`alloc-tab-${tab}`}>
        {tab === 'rules' ? (
          <RulesTab set={set} state={state.data} months={months} reloadState={state.reload} />
        ) : tab === 'versions' ? (
          <VersionsView state={state.data} />
        ) : (
          <ShowbackView set={set} months={months} appliedVersion={state.data?.appliedVersion ?? null} />
        )}
      </div>
    </div>
  );
}

function HeaderStatus({ name }: { name: string }) {
  const save = useAllocation((s) => s.save);
  let text: string;
  let cls = '';
  switch (save.kind) {
    case 'saved':
      text = 'Draft saved';
      break;
    case 'pending':
    case 'saving':
      text = 'Saving…';
      break;
    case 'unfinished':
      text = `Not saved yet: ${save.message}`;
      cls = 'warning-text';
      break;
    case 'error':
      text = `Could not save the draft: ${save.error.message}`;
      cls = 'error-text';
  }
  return (
    <>
      {name} · <span className={`alloc-save ${cls}`} data-testid="save-status" data-kind={save.kind}>{text}</span>
    </>
  );
}

const TABS: ReadonlyArray<readonly [AllocationTab, string]> = [
  ['rules', 'Rules & preview'],
  ['versions', 'Versions'],
  ['showback', 'Showback'],
];

function Tabs({ tab, versions }: { tab: AllocationTab; versions: number }) {
  const setTab = useAllocation((s) => s.setTab);
  const onKey = (e: ReactKeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = TABS.findIndex(([id]) => id === tab);
    const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]![0];
    e.preventDefault();
    setTab(next);
    document.getElementById(`alloc-tab-${next}`)?.focus();
  };
  return (
    <div className="alloc-tabs" role="tablist" aria-label="Allocation" onKeyDown={onKey}>
      {TABS.map(([id, label]) => (
        <button
          key={id}
          id={`alloc-tab-${id}`}
          type="button"
          role="tab"
          aria-selected={tab === id}
          aria-controls={`alloc-panel-${id}`}
          tabIndex={tab === id ? 0 : -1}
          data-testid={`alloc-tab-${id}`}
          className={`alloc-tab${tab === id ? ' selected' : ''}`}
          onClick={() => setTab(id)}
        >
          {label}
          {id === 'versions' && versions > 0 ? <span className="alloc-tab-count">{versions}</span> : null}
        </button>
      ))}
    </div>
  );
}

/** Undo / redo, and the rule set as a JSON file (rules as code): import replaces the draft (undoable), export saves it. */
function DraftActions({ set }: { set: RuleSet }) {
  const canUndo = useAllocation((s) => (s.history?.past.length ?? 0) > 0);
  const canRedo = useAllocation((s) => (s.history?.future.length ?? 0) > 0);
  const undo = useAllocation((s) => s.undo);
  const redo = useAllocation((s) => s.redo);
  const edit = useAllocation((s) => s.edit);
  const notify = useApp((s) => s.notify);
  const fileRef = useRef<HTMLInputElement>(null);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const parsed = parseRuleSetJson(await file.text());
    if (!parsed.ok) {
      notify({ kind: 'error', title: `Could not import ${file.name}`, message: parsed.message });
      return;
    }
    edit(() => parsed.set);
    useAllocation.getState().setDimension(parsed.set.dimensions[0]?.key ?? null);
    const n = parsed.set.rules.length;
    notify({ kind: 'success', title: `Imported ${file.name}`, message: `${n} ${n === 1 ? 'rule' : 'rules'}, ${parsed.set.pools.length} pools. Undo brings back the previous draft.`, action: { label: 'Undo', run: undo } });
  };

  const exportJson = () => {
    const blob = new Blob([JSON.stringify(cleanDraft(set), null, 2) + '\n'], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = 'allocation-rules.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <>
      <span className="alloc-undo" role="group" aria-label="Undo and redo">
        <button type="button" className="button small" data-testid="undo" disabled={!canUndo} onClick={undo} title={`Undo (${modKey('Z')})`} aria-keyshortcuts="Control+Z Meta+Z">
          <Icon name="undo" size={14} /> Undo
        </button>
        <button type="button" className="button small" data-testid="redo" disabled={!canRedo} onClick={redo} title={`Redo (${modKey('Shift+Z')})`} aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z">
          <Icon name="redo" size={14} /> Redo
        </button>
      </span>
      <button type="button" className="button small" data-testid="import-json" onClick={() => fileRef.current?.click()}>
        <Icon name="upload" size={14} /> Import JSON…
      </button>
      <input ref={fileRef} type="file" accept=".json,application/json" className="visually-hidden" tabIndex={-1} aria-hidden="true" data-testid="import-json-file" onChange={(e) => void onFile(e)} />
      <button type="button" className="button small" data-testid="export-json" onClick={exportJson}>
        <Icon name="export" size={14} /> Export JSON
      </button>
    </>
  );
}

function RulesTab({ set, state, months, reloadState }: { set: RuleSet; state: AllocationState | undefined; months: string[]; reloadState(): void }) {
  const picked = useAllocation((s) => s.dimension);
  const saveProblems = useAllocation((s) => s.saveProblems);
  const dims = useDimensions();
  const preview = useAllocationPreview();
  const dimension = shownDimension(set, picked);
  const d = set.dimensions.find((x) => x.key === dimension);

  const dp = preview.data?.dimensions.find((x) => x.dimension === dimension);
  const stats = useMemo(() => new Map((dp?.rules ?? []).map((r) => [r.id, r])), [dp]);
  const skipped = useMemo(() => new Set(preview.skipped.map((s) => s.id)), [preview.skipped]);
  const issues = useMemo(() => {
    const m = new Map<string, string[]>();
    const put = (id: string, msg: string) => m.set(id, [...(m.get(id) ?? []), msg]);
    for (const s of preview.skipped) put(s.id, s.message);
    for (const p of preview.data?.problems ?? []) put(p.ruleId, p.message);
    for (const p of saveProblems) if (!(m.get(p.ruleId) ?? []).includes(p.message)) put(p.ruleId, p.message);
    for (const a of set.tagAliases.keys()) if (!set.tagAliases[a]!.key.trim()) put(`alias:${a}`, 'needs the tag key it stands for');
    return m as IssuesById;
  }, [preview.skipped, preview.data, saveProblems, set.tagAliases]);
  const unfinished = useMemo(() => draftIssues(set), [set]);
  const blockedBy = unfinished.length
    ? `Finish first: ${issueText(unfinished[0]!)}`
    : preview.data?.problems.length
      ? `Fix first: ${preview.data.problems[0]!.message}`
      : null;
  const rules = useMemo(() => set.rules.filter((r) => r.dimension === dimension), [set.rules, dimension]);
  const targetSuggestions = useMemo(
    () => [...new Set(set.rules.filter((r) => r.dimension === dimension && r.value.trim()).map((r) => r.value.trim()))],
    [set.rules, dimension],
  );

  if (!d || !dimension) return <NoDimensions />;
  return (
    <div className="alloc-layout">
      <div className="alloc-editor">
        <div className="panel alloc-dim-panel">
          <DimensionTabs set={set} current={dimension} />
          <DimensionSettings set={set} dimension={dimension} />
        </div>
        {dims.error ? <ErrorBox error={dims.error} title="Could not load the columns and tags" onRetry={dims.reload} compact /> : null}
        <RuleList
          dimension={dimension}
          dimensionLabel={d.label}
          rules={rules}
          stats={stats}
          issues={issues}
          skipped={skipped}
          pending={preview.pending}
          dimensions={dims.list}
        />
        <PoolList
          dimension={dimension}
          pools={set.pools.filter((p) => p.dimension === dimension)}
          stats={stats}
          issues={issues}
          skipped={skipped}
          pending={preview.pending}
          dimensions={dims.list}
          drivers={state?.drivers ?? []}
          targetSuggestions={targetSuggestions}
        />
        <InheritList
          dimension={dimension}
          dimensionLabel={d.label}
          entries={set.inherit.filter((i) => i.dimension === dimension)}
          stats={stats}
          issues={issues}
          skipped={skipped}
          pending={preview.pending}
        />
        <AliasList aliases={set.tagAliases} issues={issues} />
        <DriversPanel drivers={state?.drivers ?? []} onChanged={reloadState} />
      </div>
      <aside className="alloc-side" aria-label="Preview and apply">
        <ApplyPanel state={state} blockedBy={blockedBy} onApplied={reloadState} />
        <PreviewPanel preview={preview} dimension={dimension} dimensionLabel={d.label} months={months} />
      </aside>
    </div>
  );
}
