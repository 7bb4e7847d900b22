// The conformance report of a mapped vendor bill, built the way the parse worker builds it for a vendor file
// (src-main/ingest/parse-file.ts): the FOCUS 1.2 Requirements Model checker on the mapping's header, plus the rules of
// the columns FOCUS 1.3 and 1.4 added, with the applicability criteria inferred from the columns. In process, so the
// format tests can look at rule ids without a worker thread.
import type { ConformanceReport } from '../../../src-shared/api/contract';
import { createConformanceChecker } from '../../../src-main/conformance/index';
import { withNewerColumnRules } from '../../../src-main/conformance/supporting-rules';
import { analyzeHeader } from '../../../src-main/ingest/focus-header';
import type { MappedBill } from '../../helpers/map-bill';

export function conformanceOf(m: MappedBill, columns: readonly string[] = Object.keys(m.rows[0] ?? {})): ConformanceReport {
  const res = analyzeHeader([...columns]);
  if (!res.ok) throw new Error(res.message);
  const checker = withNewerColumnRules(createConformanceChecker(res.plan.raw), res.plan.raw, '1.4');
  m.rows.forEach((r, i) => checker.row(columns.map((c) => r[c] ?? ''), m.sourceRows[i] ?? i + 1));
  return checker.finish({ file: 'mapped', focusVersion: '1.4' });
}

/** Status of each rule id asked for, e.g. { 'BillingAccountId-C-001-M': 'pass' }. */
export function statusOf(report: ConformanceReport, ...ids: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of ids) out[id] = report.rules.find((r) => r.id === id)?.status ?? 'missing';
  return out;
}

/** Ids of the rules that fail. */
export function failing(report: ConformanceReport): string[] {
  return report.rules.filter((r) => r.status === 'fail').map((r) => r.id);
}
