// Conformance for the supporting FOCUS datasets (Contract Commitment, Invoice Detail, Billing Period). The 1.2
// Requirements Model predates them, so their rules are written here from the FOCUS 1.3/1.4 requirements: presence,
// nullability, format and allowed values of every column in the catalog (src-shared/focus), plus the dataset-specific
// rules (payment model and interval, upfront and discount percentages, created ≤ last updated, period bounds). Rule
// ids follow the model's pattern with the dataset in front so they never collide with Cost and Usage ids:
// `InvoiceDetail:BilledCost-C-001-M` (C = column rule, M = MUST, S = SHOULD).
import type { ConformanceReport, ConformanceRuleResult } from '../../src-shared/api/contract';
import { columnsOf, type FocusColumnSpec } from '../../src-shared/focus/catalog';
import { DATASET_LABEL, type SupportingDataset } from '../ingest/datasets/supporting';
import type { ConformanceChecker } from './index';
import { parseVendorDateTime } from '../ingest/formats/values';
import { loadCurrencyCodes } from './model';
import { isDateTimeFormat, isKeyValueObject, isNumericFormat, nullKind } from './values';

type Cells = readonly string[];

interface Rule {
  id: string;
  reference: string;
  keyword: 'MUST' | 'SHOULD';
  description: string;
  /** Dataset-level result decided from the header, or null for a per-row rule. */
  fixed?: { status: 'pass' | 'fail' | 'skip'; reason?: string };
  /** Per-row check: true when the row passes (rows where the rule does not apply pass). */
  check?: (cells: Cells) => boolean;
  fails: number;
  samples: number[];
  /** The rule's column on the sampled rows. */
  sampleValues: string[];
}

const isNull = (s: string): boolean => nullKind(s) === 1 || nullKind(s) === 2;

function isJsonObject(s: string): boolean {
  try {
    const v: unknown = JSON.parse(s);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

export interface SupportingChecker {
  row(cells: Cells, rowNo: number): void;
  finish(meta: { file: string; focusVersion: string }): ConformanceReport;
}

export interface SupportingOptions {
  maxSamples?: number;
  /** Cost and Usage: check only the columns FOCUS added after the 1.2 Requirements Model (1.3 and 1.4). */
  newerThan12?: boolean;
  /** The file's FOCUS version: a column introduced later than the file's version is not required of it. */
  focusVersion?: string;
}

const versionOrder = (v: string): number => ({ '0.5': 0, '1.0-preview': 1, '1.0': 2, '1.1': 3, '1.2': 4, '1.3': 5, '1.4': 6 })[v] ?? 6;

export function createSupportingChecker(
  dataset: SupportingDataset | 'CostAndUsage',
  header: readonly string[],
  options: SupportingOptions = {},
): SupportingChecker {
  const maxSamples = options.maxSamples ?? 3;
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    const k = h.replace(/^\uFEFF/, '').trim().toLowerCase();
    if (!index.has(k)) index.set(k, i);
  });
  const specs = columnsOf(dataset).filter((c) => !options.newerThan12 || versionOrder(c.introducedVersion) > versionOrder('1.2'));
  const fileVersion = versionOrder(options.focusVersion ?? '1.4');
  const label = dataset === 'CostAndUsage' ? 'Cost and Usage' : DATASET_LABEL[dataset];
  const col = (name: string): number => index.get(name.toLowerCase()) ?? -1;
  // column positions resolved once: these closures run for every row of files of millions of rows
  const positions = new Map<string, number>();
  const get = (cells: Cells, name: string): string => {
    let i = positions.get(name);
    if (i === undefined) positions.set(name, (i = col(name)));
    return i < 0 ? '' : (cells[i] ?? '');
  };
  const currencies = loadCurrencyCodes();
  const rules: Rule[] = [];
  const add = (r: Omit<Rule, 'fails' | 'samples' | 'sampleValues'>): void => void rules.push({ ...r, fails: 0, samples: [], sampleValues: [] });
  const id = (column: string, n: number, keyword: 'MUST' | 'SHOULD' = 'MUST'): string =>
    `${dataset}:${column}-C-${String(n).padStart(3, '0')}-${keyword === 'MUST' ? 'M' : 'S'}`;

  for (const spec of specs) {
    const present = col(spec.name) >= 0;
    const name = spec.name;
    add({
      id: id(name, 0),
      reference: name,
      keyword: 'MUST',
      description: `${name} is present in a ${label} dataset${spec.featureLevel === 'Mandatory' ? '' : ` when the provider supports it (${spec.featureLevel})`}`,
      fixed: present
        ? { status: 'pass' }
        : versionOrder(spec.introducedVersion) > fileVersion
          ? { status: 'skip', reason: `column absent (introduced in FOCUS ${spec.introducedVersion}; the file is FOCUS ${options.focusVersion ?? '1.4'})` }
          : spec.featureLevel === 'Mandatory'
            ? { status: 'fail', reason: 'column absent' }
            : { status: 'skip', reason: `column absent (${spec.featureLevel.toLowerCase()})` },
    });
    const ifPresent = (r: Omit<Rule, 'fails' | 'samples' | 'sampleValues' | 'fixed'>): void =>
      add(present ? r : { ...r, fixed: { status: 'skip', reason: 'column absent' } });
    if (!spec.allowsNulls && spec.name !== 'HostProviderName') {
      ifPresent({ id: id(name, 1), reference: name, keyword: 'MUST', description: `${name} MUST NOT be null`, check: (c) => !isNull(get(c, name)) });
    }
    const typeCheck = memoized(formatCheck(spec, currencies));
    if (typeCheck) {
      ifPresent({
        id: id(name, 2),
        reference: name,
        keyword: 'MUST',
        description: typeCheck.description,
        check: (c) => {
          const v = get(c, name);
          return isNull(v) || typeCheck.ok(v);
        },
      });
    }
    if (spec.allowedValues && spec.allowedValues.length > 0) {
      const allowed = new Set(spec.allowedValues);
      ifPresent({
        id: id(name, 3),
        reference: name,
        keyword: 'MUST',
        description: `${name} is one of: ${spec.allowedValues.join(', ')}`,
        check: (c) => {
          const v = get(c, name);
          return isNull(v) || allowed.has(v);
        },
      });
    }
  }

  const num = (s: string): number | null => (isNull(s) || !isNumericFormat(s) ? null : Number(s));
  const time = (s: string): number | null => (isNull(s) ? null : parseVendorDateTime(s));
  const notBefore = (later: string, earlier: string, n: number): void => {
    const has = col(later) >= 0 && col(earlier) >= 0;
    add({
      id: id(later, n),
      reference: later,
      keyword: 'MUST',
      description: `${later} is not before ${earlier}`,
      ...(has
        ? {
            check: (c: Cells) => {
              const a = time(get(c, later));
              const b = time(get(c, earlier));
              return a === null || b === null || a >= b;
            },
          }
        : { fixed: { status: 'skip' as const, reason: 'column absent' } }),
    });
  };
  const startBeforeEnd = (start: string, end: string, n: number): void => {
    const has = col(start) >= 0 && col(end) >= 0;
    add({
      id: id(end, n),
      reference: end,
      keyword: 'MUST',
      description: `${end} is after ${start} (periods: start inclusive, end exclusive)`,
      ...(has
        ? {
            check: (c: Cells) => {
              const a = time(get(c, start));
              const b = time(get(c, end));
              return a === null || b === null || b > a;
            },
          }
        : { fixed: { status: 'skip' as const, reason: 'column absent' } }),
    });
  };

  if (dataset === 'ContractCommitment') {
    const model = (c: Cells) => get(c, 'ContractCommitmentPaymentModel');
    add({
      id: id('ContractCommitmentPaymentInterval', 101),
      reference: 'ContractCommitmentPaymentInterval',
      keyword: 'MUST',
      description: 'ContractCommitmentPaymentInterval is "One-Time" when ContractCommitmentPaymentModel is "All Upfront"',
      check: (c) => model(c) !== 'All Upfront' || get(c, 'ContractCommitmentPaymentInterval') === 'One-Time',
    });
    add({
      id: id('ContractCommitmentPaymentUpfrontPercentage', 101),
      reference: 'ContractCommitmentPaymentUpfrontPercentage',
      keyword: 'MUST',
      description: 'ContractCommitmentPaymentUpfrontPercentage is 1 for All Upfront, 0 for No Upfront, strictly between 0 and 1 for Partial Upfront',
      check: (c) => {
        const p = num(get(c, 'ContractCommitmentPaymentUpfrontPercentage'));
        if (p === null) return model(c) !== 'Partial Upfront';
        const m = model(c);
        if (m === 'All Upfront') return p === 1;
        if (m === 'No Upfront') return p === 0;
        if (m === 'Partial Upfront') return p > 0 && p < 1;
        return true;
      },
    });
    add({
      id: id('ContractCommitmentDiscountPercentage', 101),
      reference: 'ContractCommitmentDiscountPercentage',
      keyword: 'MUST',
      description: 'ContractCommitmentDiscountPercentage is between 0 and 1; not null when the benefit is a Discount, null when it is Availability',
      check: (c) => {
        const raw = get(c, 'ContractCommitmentDiscountPercentage');
        const p = num(raw);
        const benefit = get(c, 'ContractCommitmentBenefitCategory');
        if (benefit === 'Discount' && p === null) return false;
        if (benefit === 'Availability' && !isNull(raw)) return false;
        return p === null || (p >= 0 && p <= 1);
      },
    });
    add({
      id: id('ContractCommitmentDurationType', 101, 'SHOULD'),
      reference: 'ContractCommitmentDurationType',
      keyword: 'SHOULD',
      description: 'ContractCommitmentDurationType is written "<integer> <unit>", e.g. "3 Years"',
      check: (c) => {
        const v = get(c, 'ContractCommitmentDurationType');
        return isNull(v) || /^\d+ [A-Za-z]+$/.test(v);
      },
    });
    notBefore('ContractCommitmentLastUpdated', 'ContractCommitmentCreated', 101);
    startBeforeEnd('ContractCommitmentPeriodStart', 'ContractCommitmentPeriodEnd', 101);
    startBeforeEnd('ContractPeriodStart', 'ContractPeriodEnd', 101);
  } else if (dataset === 'CostAndUsage') {
    const jsonRule = (column: string, n: number, description: string, ok: (v: Record<string, unknown>) => boolean): void =>
      add({
        id: id(column, n),
        reference: column,
        keyword: 'MUST',
        description,
        ...(col(column) >= 0
          ? (() => {
              const valid = memo((v: string): boolean => {
                try {
                  const o: unknown = JSON.parse(v);
                  return o !== null && typeof o === 'object' && !Array.isArray(o) && ok(o as Record<string, unknown>);
                } catch {
                  return false;
                }
              });
              return {
                check: (c: Cells) => {
                  const v = get(c, column);
                  return isNull(v) || valid(v);
                },
              };
            })()
          : { fixed: { status: 'skip' as const, reason: 'column absent' } }),
      });
    jsonRule(
      'CommitmentProgramEligibilityDetails',
      101,
      'CommitmentProgramEligibilityDetails is {"CommitmentPrograms":[{"ProgramType":…}, …]}',
      (o) => Array.isArray(o.CommitmentPrograms) && o.CommitmentPrograms.every((p) => p !== null && typeof p === 'object' && typeof (p as { ProgramType?: unknown }).ProgramType === 'string'),
    );
    jsonRule(
      'ContractApplied',
      101,
      'ContractApplied lists its Elements, each with a ContractId and a ContractCommitmentId',
      (o) =>
        Array.isArray(o.Elements) &&
        o.Elements.every((e) => e !== null && typeof e === 'object' && typeof (e as { ContractId?: unknown }).ContractId === 'string' && typeof (e as { ContractCommitmentId?: unknown }).ContractCommitmentId === 'string'),
    );
    add({
      id: id('AllocatedTags', 101),
      reference: 'AllocatedTags',
      keyword: 'MUST',
      description: 'AllocatedTags is a JSON object of scalar values (KeyValueFormat)',
      ...(col('AllocatedTags') >= 0
        ? { check: (c: Cells) => isNull(get(c, 'AllocatedTags')) || isKeyValueObject(get(c, 'AllocatedTags')) }
        : { fixed: { status: 'skip' as const, reason: 'column absent' } }),
    });
  } else if (dataset === 'InvoiceDetail') {
    notBefore('InvoiceDetailLastUpdated', 'InvoiceDetailCreated', 101);
    startBeforeEnd('BillingPeriodStart', 'BillingPeriodEnd', 101);
    add({
      id: id('InvoiceDetailGrain', 101),
      reference: 'InvoiceDetailGrain',
      keyword: 'MUST',
      description: 'InvoiceDetailGrain is a JSON object of scalar values (KeyValueFormat)',
      check: (c) => {
        const v = get(c, 'InvoiceDetailGrain');
        return isNull(v) || isKeyValueObject(v);
      },
    });
  } else {
    notBefore('BillingPeriodLastUpdated', 'BillingPeriodCreated', 101);
    startBeforeEnd('BillingPeriodStart', 'BillingPeriodEnd', 101);
  }

  const live = rules.filter((r) => r.check);
  let rows = 0;
  return {
    row(cells, rowNo) {
      rows++;
      for (const r of live) {
        if (!r.check!(cells)) {
          r.fails++;
          if (r.samples.length < maxSamples) {
            r.samples.push(rowNo);
            r.sampleValues.push(get(cells, r.reference).slice(0, 120));
          }
        }
      }
    },
    finish(meta) {
      const results: ConformanceRuleResult[] = rules.map((r) => {
        const status = r.fixed ? r.fixed.status : r.fails > 0 ? 'fail' : 'pass';
        const out: ConformanceRuleResult = {
          id: r.id,
          reference: r.reference,
          keyword: r.keyword,
          description: r.description,
          status,
          failingRows: r.fixed ? 0 : r.fails,
          samples: r.fixed ? [] : r.samples,
        };
        if (!r.fixed && r.sampleValues.length > 0) out.sampleValues = r.sampleValues;
        if (r.fixed?.reason) out.reason = r.fixed.reason;
        return out;
      });
      const summary = { pass: 0, fail: 0, skip: 0 };
      for (const r of results) summary[r.status]++;
      return { file: meta.file, dataset, focusVersion: meta.focusVersion, modelVersion: 'Meterbook FOCUS 1.3/1.4 rules', rows, rules: results, summary };
    },
  };
}

/** Remembers a predicate's answers for up to 10,000 distinct texts (cell values repeat across rows). */
function memo(fn: (v: string) => boolean): (v: string) => boolean {
  const seen = new Map<string, boolean>();
  let last = '\u0000';
  let lastResult = false;
  return (v) => {
    if (v === last) return lastResult;
    let r = seen.get(v);
    if (r === undefined) {
      r = fn(v);
      if (seen.size < 10_000) seen.set(v, r);
    }
    last = v;
    lastResult = r;
    return r;
  };
}

function memoized(c: { description: string; ok: (v: string) => boolean } | null): { description: string; ok: (v: string) => boolean } | null {
  return c === null ? null : { description: c.description, ok: memo(c.ok) };
}

function formatCheck(spec: FocusColumnSpec, currencies: ReadonlySet<string>): { description: string; ok: (v: string) => boolean } | null {
  if (spec.type === 'Date/Time') return { description: `${spec.name} is a FOCUS date/time (YYYY-MM-DDTHH:mm:ssZ, UTC)`, ok: isDateTimeFormat };
  if (spec.type === 'Decimal') return { description: `${spec.name} is a number in FOCUS NumericFormat`, ok: isNumericFormat };
  if (spec.type === 'JSON') return { description: `${spec.name} is a JSON object`, ok: isJsonObject };
  if (/^(Billing|Payment)Currency$/.test(spec.name)) return { description: `${spec.name} is an ISO 4217 currency code`, ok: (v) => currencies.has(v) };
  return null;
}

/**
 * The Cost and Usage checker: the FOCUS 1.2 Requirements Model, plus the rules for the columns 1.3 and 1.4 added
 * (prefixed `CostAndUsage:`), in one report.
 */
export function withNewerColumnRules(base: ConformanceChecker, header: readonly string[], focusVersion: string): ConformanceChecker {
  const newer = createSupportingChecker('CostAndUsage', header, { newerThan12: true, focusVersion });
  return {
    row(values, rowNo) {
      base.row(values, rowNo);
      newer.row(values, rowNo);
    },
    finish(meta) {
      const a = base.finish(meta);
      const b = newer.finish(meta);
      return {
        ...a,
        modelVersion: `${a.modelVersion} + ${b.modelVersion}`,
        rules: [...a.rules, ...b.rules],
        summary: { pass: a.summary.pass + b.summary.pass, fail: a.summary.fail + b.summary.fail, skip: a.summary.skip + b.summary.skip },
      };
    },
  };
}
