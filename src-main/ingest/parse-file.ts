// Reads one bill file into encoded FOCUS Cost and Usage batches and a conformance report. The file is read as a
// table (CSV, gzip, JSON, Parquet); a FOCUS header goes straight through, any other table is matched against the
// vendor formats and mapped row by row to FOCUS. Pure of any database: the caller decides what to do with batches
// (store them, or drop them when only validating).
import type { BillFormatRef, MappingReport, MappingTemplate } from '../../src-shared/api/contract';
import { createConformanceChecker } from '../conformance';
import { EngineError } from '../engine/errors';
import { formatNanos, parseDecimalNanos } from './decimal';
import { analyzeHeader, type HeaderPlan } from './focus-header';
import { BILL_FORMATS, detectFormat } from './formats/registry';
import { templateFormat } from './formats/template';
import { MappingRowError, MappingSetupError, type BillFormat, type RowMapper, type TableSample } from './formats/types';
import { decAdd, decText, parseDec, type Dec } from './formats/values';
import type { ParseMessage, ParseRequest } from './parse-protocol';
import { RowEncoder, RowError, type EncodedBatch } from './row-encoder';
import { RowSampler } from './row-sample';
import { openTable, type TableSource } from './tabular/table-source';
import { createSupportingChecker, withNewerColumnRules } from '../conformance/supporting-rules';
import { criteriaFor } from '../engine/applicability-store';
import { datasetOfHeader, DatasetRowError, encodeDatasetRow, planDataset, type SupportingDataset } from './datasets/supporting';

export interface ParseHooks {
  post(msg: ParseMessage, transfer?: ArrayBuffer[]): void;
  /** Resolves when the consumer is ready for more batches (backpressure). */
  ready(): Promise<void>;
  cancelled(): boolean;
}

const PROGRESS_EVERY_MS = 100;

export async function parseFile(req: ParseRequest, hooks: ParseHooks): Promise<void> {
  try {
    await run(req, hooks);
  } catch (e) {
    if (e instanceof EngineError) {
      hooks.post({ type: 'error', code: e.code, message: e.message, detail: e.detail });
    } else {
      hooks.post({ type: 'error', code: 'internal', message: `${req.name}: ${(e as Error).message}` });
    }
  }
}

const FOCUS_LABEL = { csv: 'FOCUS CSV', json: 'FOCUS JSON', parquet: 'FOCUS Parquet' } as const;

/** How the table becomes FOCUS rows: as it is, or through a vendor mapper. */
interface Route {
  format: BillFormatRef;
  plan: HeaderPlan;
  mapper: RowMapper | null;
}

function route(req: ParseRequest, table: TableSource): Route {
  const focus = analyzeHeader(table.header);
  const sample: TableSample = { header: table.header, rows: table.sample, container: table.container };
  // A FOCUS header is taken as FOCUS. A header that only borrows a few FOCUS names (BilledCost in a vendor's own
  // export) but lacks the mandatory ones falls through to the vendor formats.
  if (focus.ok) {
    return { format: { id: `focus-${table.container}`, label: FOCUS_LABEL[table.container] }, plan: focus.plan, mapper: null };
  }
  const found = detectFormat(sample, [...(req.templates ?? []).map(templateFormat), ...BILL_FORMATS]);
  if (found === null) {
    // a FOCUS file of another dataset, or a FOCUS file with a column missing, says so in FOCUS terms
    if (/FOCUS/.test(focus.message) && !/no FOCUS column names/.test(focus.message)) {
      throw new EngineError('bad-file', `${req.name} ${focus.message}`, { file: req.name });
    }
    const cols = table.header.slice(0, 6).join(', ') + (table.header.length > 6 ? ', …' : '');
    throw new EngineError(
      'unknown-format',
      `${req.name} is not a format Meterbook knows (columns: ${cols}); map its columns to FOCUS in the mapping studio`,
      { file: req.name, header: table.header },
    );
  }
  return fromVendor(req, found.format, sample);
}

function fromVendor(req: ParseRequest, format: BillFormat, sample: TableSample): Route {
  let mapper: RowMapper;
  try {
    mapper = format.createMapper(sample);
  } catch (e) {
    if (e instanceof MappingSetupError) {
      throw new EngineError('bad-file', `${req.name} looks like ${format.label} but ${e.message}`, { file: req.name, format: format.id });
    }
    throw e;
  }
  const res = analyzeHeader([...mapper.columns]);
  if (!res.ok) throw new Error(`the ${format.id} mapping produces an unusable FOCUS header: ${res.message}`);
  return { format: { id: format.id, label: format.label }, plan: res.plan, mapper };
}

/** Exact sum of one FOCUS money column over the mapped rows, in stored nano-units. */
class NanoSum {
  private small = 0;
  private big = 0n;
  add(cell: string): void {
    if (cell === '') return;
    const n = parseDecimalNanos(cell);
    if (n === null) return;
    if (typeof n === 'bigint') {
      this.big += n;
      return;
    }
    const s = this.small + n;
    if (Number.isSafeInteger(s)) this.small = s;
    else {
      this.big += BigInt(this.small) + BigInt(n);
      this.small = 0;
    }
  }
  value(): bigint {
    return this.big + BigInt(this.small);
  }
}

async function run(req: ParseRequest, hooks: ParseHooks): Promise<void> {
  const table = await openTable(req.path, req.name);
  if (req.inspect) return inspect(req, hooks, table);
  if (req.preview) return preview(req, hooks, table, req.preview.template, req.preview.rows);
  const supporting = datasetOfHeader(table.header);
  if (supporting) return runSupporting(req, hooks, table, supporting);
  const { format, plan, mapper } = route(req, table);
  const encoder = new RowEncoder(plan);
  const provider = mainProvider(table, plan, mapper ? () => route(req, table).mapper! : null);
  const criteria = { ...criteriaFor(req.applicability ?? {}, provider), ...(req.applicabilityOverride ?? {}) };
  const checker = withNewerColumnRules(createConformanceChecker(plan.raw, { applicability: criteria }), plan.raw, mapper ? '1.4' : plan.focusVersion);
  const width = table.header.length;
  hooks.post({
    type: 'header',
    focusVersion: mapper ? '1.4' : plan.focusVersion,
    format,
    dataset: 'CostAndUsage',
    header: plan.raw,
    sourceHeader: table.header,
    stored: plan.stored.map((s) => ({ name: s.name, kind: s.kind })),
    numeric: encoder.layout.numeric.map((c) => ({ name: c.name, kind: c.kind })),
    text: encoder.layout.text.map((c) => c.name),
  });

  let pending: EncodedBatch[] = [];
  let rowNo = 0;
  let focusRows = 0;
  const fail = (row: number, message: string, column: string | null = null): never => {
    throw new EngineError('bad-file', `${req.name} row ${row}: ${message}`, { file: req.name, row, column });
  };

  // one FOCUS row: conformance, then encoding (unless only validating)
  const accept = (cells: readonly string[], n: number): void => {
    focusRows++;
    checker.row(cells, n);
    if (!req.validateOnly) {
      const b = encoder.add(cells as string[], n);
      if (b) pending.push(b);
    }
  };

  // vendor rows: map, and sum the FOCUS side of each vendor total
  const totals = mapper ? new Map<string, NanoSum>() : null;
  const totalIdx: [number, NanoSum][] = [];
  const emit = (cells: string[]): void => {
    if (cells.length !== mapper!.columns.length) {
      throw new Error(`the ${format.id} mapping emitted ${cells.length} cells for ${mapper!.columns.length} columns`);
    }
    for (const [i, sum] of totalIdx) sum.add(cells[i]!);
    accept(cells, rowNo);
  };
  if (mapper) {
    for (const col of ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost']) {
      const i = mapper.columns.indexOf(col);
      if (i >= 0) {
        const s = new NanoSum();
        totals!.set(col, s);
        totalIdx.push([i, s]);
      }
    }
  }

  // fingerprints of the source rows tell a loose snapshot copy from a part of the same export (snapshots.ts)
  const sampler = req.sampleRows && !req.validateOnly ? new RowSampler() : null;
  const one = (cells: string[]): void => {
    rowNo++;
    sampler?.add(cells);
    try {
      if (mapper === null) {
        accept(cells, rowNo);
        return;
      }
      if (table.container === 'csv' && cells.length !== width) {
        fail(rowNo, `expected ${width} columns, found ${cells.length}${cells.length < width ? ' (short row)' : ''}`);
      }
      mapper.map(cells, rowNo, emit);
    } catch (e) {
      if (e instanceof RowError) fail(e.row, e.message, e.column);
      if (e instanceof MappingRowError) fail(e.row, e.message, e.column);
      throw e;
    }
  };

  let lastProgress = 0;
  /** Between chunks: hand over finished batches (with backpressure), report progress, notice a cancel. */
  const tick = async (): Promise<boolean> => {
    if (hooks.cancelled()) return false;
    for (const b of pending) await sendBatch(b, table.bytesRead(), hooks);
    pending = [];
    const now = Date.now();
    if (now - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = now;
      hooks.post({ type: 'progress', bytes: table.bytesRead(), rows: rowNo });
    }
    return true;
  };
  const consume = async (rows: string[][]): Promise<boolean> => {
    if (hooks.cancelled()) return false;
    for (let i = 0; i < rows.length; i++) one(rows[i]!);
    return tick();
  };

  if (!(await consume(table.sample))) return;
  if (table.stream) {
    for await (const _ of table.stream(one)) if (!(await tick())) return;
  } else {
    for await (const rows of table.rest) if (!(await consume(rows))) return;
  }
  if (mapper?.finish) {
    try {
      mapper.finish(emit);
    } catch (e) {
      if (e instanceof MappingRowError) fail(e.row, e.message, e.column);
      throw e;
    }
  }
  for (const b of pending) await sendBatch(b, table.bytesRead(), hooks);
  const last = encoder.flush();
  if (last && !req.validateOnly) await sendBatch(last, table.totalBytes, hooks);

  const report = checker.finish({ file: req.name, focusVersion: mapper ? '1.4' : plan.focusVersion });
  report.format = format;
  report.applicability = { provider, criteria };
  if (mapper) report.mapping = mappingReport(mapper, totals!, rowNo, focusRows);
  hooks.post({ type: 'done', rows: focusRows, sourceRows: rowNo, bytes: table.totalBytes, conformance: report, ...(sampler ? { sample: sampler.result() } : {}) });
}

function mappingReport(mapper: RowMapper, totals: Map<string, NanoSum>, sourceRows: number, focusRows: number): MappingReport {
  return {
    gaps: mapper.gaps(),
    totals: mapper.vendorTotals().map((t) => {
      const focus = totals.get(t.focusColumn)?.value() ?? 0n;
      const focusTotal = formatNanos(focus);
      const vendor = parseDec(t.vendorTotal) ?? { coef: 0n, scale: 0 };
      const diff = decAdd(vendor, { coef: -focus, scale: 9 });
      const matches = withinHalfCent(diff.coef < 0n ? { coef: -diff.coef, scale: diff.scale } : diff);
      return { ...t, vendorTotal: decText(vendor), focusTotal, matches };
    }),
    sourceRows,
    focusRows,
  };
}

function withinHalfCent(abs: Dec): boolean {
  // abs < 0.005 ⇔ abs × 1000 < 5 at abs's scale
  const scaled = abs.coef * 1000n;
  const five = 5n * 10n ** BigInt(abs.scale);
  return scaled < five;
}

async function sendBatch(batch: EncodedBatch, bytes: number, hooks: ParseHooks): Promise<void> {
  await hooks.ready();
  hooks.post({ type: 'batch', batch, bytes }, [batch.numeric.buffer as ArrayBuffer, batch.ints.buffer as ArrayBuffer]);
}

/** A Contract Commitment, Invoice Detail or Billing Period file: check and convert rows, send them in batches. */
async function runSupporting(req: ParseRequest, hooks: ParseHooks, table: TableSource, dataset: SupportingDataset): Promise<void> {
  const res = planDataset(dataset, table.header);
  if (!res.ok) throw new EngineError('bad-file', `${req.name} ${res.message}`, { file: req.name });
  const plan = res.plan;
  const checker = createSupportingChecker(dataset, plan.raw);
  const focusVersion = dataset === 'ContractCommitment' && !table.header.some((h) => /ContractCommitmentModel/i.test(h)) ? '1.3' : '1.4';
  const format = { id: `focus-${table.container}`, label: FOCUS_LABEL[table.container] };
  const columns = plan.columns.map((c) => c.name);
  hooks.post({ type: 'header', focusVersion, format, dataset, header: plan.raw, sourceHeader: table.header, stored: [], numeric: [], text: [] });
  let rowNo = 0;
  let batch: (string | number | bigint | null)[][] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0 || req.validateOnly) {
      batch = [];
      return;
    }
    await hooks.ready();
    hooks.post({ type: 'rows', columns, rows: batch, bytes: table.bytesRead() });
    batch = [];
  };
  const consume = async (rows: string[][]): Promise<boolean> => {
    if (hooks.cancelled()) return false;
    for (const cells of rows) {
      rowNo++;
      if (table.container === 'csv' && cells.length !== table.header.length) {
        throw new EngineError('bad-file', `${req.name} row ${rowNo}: expected ${table.header.length} columns, found ${cells.length}`, { file: req.name, row: rowNo });
      }
      checker.row(cells, rowNo);
      try {
        if (!req.validateOnly) batch.push([rowNo, ...encodeDatasetRow(plan, cells)]);
      } catch (e) {
        if (e instanceof DatasetRowError) {
          throw new EngineError('bad-file', `${req.name} row ${rowNo}: ${e.message}`, { file: req.name, row: rowNo, column: e.column });
        }
        throw e;
      }
      if (batch.length >= 2048) await flush();
    }
    hooks.post({ type: 'progress', bytes: table.bytesRead(), rows: rowNo });
    return true;
  };
  if (!(await consume(table.sample))) return;
  for await (const rows of table.rest) if (!(await consume(rows))) return;
  await flush();
  const report = checker.finish({ file: req.name, focusVersion });
  report.format = format;
  hooks.post({ type: 'done', rows: rowNo, sourceRows: rowNo, bytes: table.totalBytes, conformance: report });
}

/** The mapping studio's first look: header, first rows, and whether a format already reads the file. */
function inspect(req: ParseRequest, hooks: ParseHooks, table: TableSource): void {
  let detected: BillFormatRef | null = null;
  if (datasetOfHeader(table.header)) detected = { id: `focus-${table.container}`, label: FOCUS_LABEL[table.container] };
  else {
    try {
      detected = route(req, table).format;
    } catch {
      detected = null;
    }
  }
  hooks.post({
    type: 'inspect',
    inspection: { file: req.name, container: table.container, header: table.header, rows: table.sample.slice(0, 20), detected },
  });
}

/** The mapping studio's live preview: the first rows mapped with the template being edited, and their conformance. */
async function preview(req: ParseRequest, hooks: ParseHooks, table: TableSource, template: MappingTemplate, limit: number): Promise<void> {
  let mapper: RowMapper;
  try {
    mapper = templateFormat(template).createMapper({ header: table.header, rows: table.sample, container: table.container });
  } catch (e) {
    if (e instanceof MappingSetupError) throw new EngineError('bad-input', `The mapping is not complete: ${e.message}`);
    throw e;
  }
  const res = analyzeHeader([...mapper.columns]);
  if (!res.ok) throw new EngineError('bad-input', `The mapping is not complete: ${res.message}`);
  const checker = withNewerColumnRules(createConformanceChecker(res.plan.raw), res.plan.raw, '1.4');
  const rows: string[][] = [];
  const sourceRows: number[] = [];
  let rowNo = 0;
  let error: string | null = null;
  const emit = (cells: string[]): void => {
    if (rows.length >= limit) return;
    checker.row(cells, rowNo);
    rows.push([...cells]);
    sourceRows.push(rowNo);
  };
  const feed = (batch: string[][]): boolean => {
    for (const cells of batch) {
      if (rows.length >= limit || error !== null) return false;
      rowNo++;
      try {
        mapper.map(cells, rowNo, emit);
      } catch (e) {
        if (e instanceof MappingRowError) error = `row ${e.row}: ${e.message}`;
        else throw e;
      }
    }
    return rows.length < limit && error === null;
  };
  if (feed(table.sample)) {
    for await (const batch of table.rest) if (!feed(batch)) break;
  }
  const conformance = checker.finish({ file: req.name, focusVersion: '1.4' });
  conformance.format = { id: `template:${template.id}`, label: `Template "${template.name}"` };
  hooks.post({ type: 'preview', preview: { columns: [...mapper.columns], rows, sourceRows, conformance, error } });
}

/**
 * The provider most rows of the file's first rows name (ServiceProviderName, else ProviderName): whose applicability
 * settings apply. For a vendor file the first rows are mapped with a fresh mapper (its running totals are not touched).
 */
function mainProvider(table: TableSource, plan: HeaderPlan, freshMapper: (() => RowMapper) | null): string | null {
  const count = new Map<string, number>();
  const col = plan.source.get('ServiceProviderName') ?? plan.source.get('ProviderName');
  if (col === undefined) return null;
  const tally = (cells: readonly string[]): void => {
    const v = (cells[col] ?? '').trim();
    if (v !== '' && v.toLowerCase() !== 'null') count.set(v, (count.get(v) ?? 0) + 1);
  };
  if (freshMapper === null) table.sample.forEach(tally);
  else {
    const m = freshMapper();
    try {
      table.sample.forEach((cells, i) => m.map(cells, i + 1, tally));
    } catch {
      // a bad row is reported by the real pass; the rows mapped so far are enough to name the provider
    }
  }
  let best: string | null = null;
  for (const [p, n] of count) if (best === null || n > count.get(best)!) best = p;
  return best;
}
