// Conformance engine: evaluates the FOCUS Requirements Model (1.2, Cost and Usage) on a file, row by row.
// The importer calls it from its parse worker; see README.md in this folder for the rule semantics and decisions.
import type { ConformanceReport, ConformanceRuleResult } from '../../src-shared/api/contract';
import { compilePlan, skipKind, type CompiledPlan, type PlanRule, type Status } from './compile';
import { loadModel } from './model';

export interface ConformanceOptions {
  /**
   * Applicability criteria ids from the model (e.g. COMMITMENT_DISCOUNT_SUPPORTED) the user says apply. Criteria not
   * given are inferred: a criterion applies when the file carries at least one of the columns it concerns (the
   * columns of the presence and column rules that carry the criterion; see criterionColumns()).
   */
  applicability?: Record<string, boolean>;
  /** Max sample row numbers kept per rule (default 3). */
  samples?: number;
}

export interface ConformanceChecker {
  /**
   * values[i] is the raw cell text for header[i] exactly as read from the file (not trimmed, not null-normalized:
   * the literal text "NULL" or "" must reach you so NullHandling rules can see it). rowNo: data row number, first
   * data row is 1.
   */
  row(values: readonly string[], rowNo: number): void;
  finish(meta: { file: string; focusVersion: string }): ConformanceReport;
}

export { criterionColumns } from './compile';

export function createConformanceChecker(header: readonly string[], options: ConformanceOptions = {}): ConformanceChecker {
  const plan = compilePlan(header, options);
  const maxSamples = Math.max(0, Math.floor(options.samples ?? 3));
  const rowFn = plan.row;
  let rows = 0;
  let report: ConformanceReport | null = null;
  return {
    row(values, rowNo) {
      if (report !== null) return;
      rows++;
      rowFn(values, rowNo);
    },
    finish(meta) {
      report ??= buildReport(plan, rows, meta, maxSamples);
      return report;
    },
  };
}

function settleDistinct(plan: CompiledPlan, k: number, r: PlanRule, maxSamples: number): void {
  const st = plan.distinct.get(k)!;
  let failing = 0;
  let groups = 0;
  const sampleRows: number[] = [];
  for (const g of st.groups.values()) {
    const count = g.conflict ? 2 : g.b === null ? 0 : 1;
    if (count === st.expected) continue;
    groups++;
    failing += g.rows;
    sampleRows.push(g.first);
    if (g.second) sampleRows.push(g.second);
  }
  plan.fails[k] = failing;
  plan.samples[k] = sampleRows.sort((a, b) => a - b).slice(0, maxSamples);
  r.status = groups > 0 ? 'fail' : 'pass';
  const [a, b] = describeDistinct(r);
  if (groups > 0) r.reason = `${groups} ${a} value${groups === 1 ? '' : 's'} without exactly ${st.expected} ${b}`;
  if (st.capped) r.reason = `${r.reason ? r.reason + '; ' : ''}checked the first ${st.groups.size} distinct ${a} values`;
}

function describeDistinct(r: PlanRule): [string, string] {
  const req = r.rule.ValidationCriteria.Requirement;
  return [req.ColumnAName ?? 'A', req.ColumnBName ?? 'B'];
}

function settleComposite(plan: CompiledPlan, k: number, r: PlanRule): void {
  const rules = plan.rules;
  const kids = r.children.map((c) => rules[c]!);
  const live = kids.filter((c) => c.status !== 'skip');
  if (live.length === 0) {
    const kinds = new Set<string>();
    for (const c of kids) for (const k of c.skipKinds ?? [skipKind(c.reason)]) kinds.add(k);
    r.status = 'skip';
    r.skipKinds = [...kinds];
    r.reason = `no requirement could be checked (${r.skipKinds.join(', ')})`;
    return;
  }
  const binding = live.filter((c) => c.strength >= r.strength);
  const failed = binding.filter((c) => c.status === 'fail');
  if (r.op === 'OR') {
    const anyPass = binding.some((c) => c.status === 'pass');
    const rowFails = r.rowFlag ? plan.fails[k]! : 0;
    if (binding.length === 0) r.status = 'pass';
    else if (r.rowFlag) r.status = rowFails > 0 ? 'fail' : 'pass';
    else r.status = anyPass ? 'pass' : 'fail';
  } else {
    r.status = failed.length > 0 ? 'fail' : 'pass';
  }
  if (r.status === 'fail' && failed.length > 0) {
    const ids = failed.map((c) => c.id);
    r.reason = `failed: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ` and ${ids.length - 5} more` : ''}`;
  }
}

function buildReport(
  plan: CompiledPlan,
  rows: number,
  meta: { file: string; focusVersion: string },
  maxSamples: number,
): ConformanceReport {
  const model = loadModel();
  for (const k of plan.order) {
    const r = plan.rules[k]!;
    if (r.status === 'skip') continue;
    if (r.kind === 'distinct') settleDistinct(plan, k, r, maxSamples);
    else if (r.kind === 'composite') settleComposite(plan, k, r);
    else if (r.kind === 'row') r.status = plan.fails[k]! > 0 ? 'fail' : 'pass';
  }
  const results: ConformanceRuleResult[] = plan.rules.map((r, k) => {
    const status: Status = r.status ?? 'skip';
    const out: ConformanceRuleResult = {
      id: r.id,
      reference: r.rule.Reference,
      keyword: r.keyword,
      description: r.rule.ValidationCriteria.MustSatisfy,
      status,
      failingRows: status === 'skip' ? 0 : plan.fails[k]!,
      samples: status === 'skip' ? [] : plan.samples[k]!.slice(0, maxSamples),
    };
    // values only for row rules: distinct and composite samples are rows of a group, not one failing cell
    const values = plan.sampleValues[k]!;
    if (status === 'fail' && r.kind === 'row' && values.length > 0) out.sampleValues = values.slice(0, maxSamples);
    if (r.reason) out.reason = r.reason;
    return out;
  });
  const summary = { pass: 0, fail: 0, skip: 0 };
  for (const r of results) summary[r.status]++;
  return {
    file: meta.file,
    dataset: 'CostAndUsage',
    focusVersion: meta.focusVersion,
    modelVersion: model.Details.ModelVersion,
    rows,
    rules: results,
    summary,
  };
}
