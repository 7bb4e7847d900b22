// A mapping the user made in the mapping studio, as a bill format: for a CSV no built-in format knows, each FOCUS
// column takes a source column or a constant, with the date order, decimal separator and amount unit the file uses.
// Saved templates are matched by header, so the next file with the same columns imports without asking.
import type { MappingTemplate } from '../../../src-shared/api/contract';
import { readAmount } from './saas-seats';
import type { BillFormat, MappingGap, RowMapper, TableSample, VendorTotal } from './types';
import { MappingRowError, MappingSetupError } from './types';
import { addDays, DecimalSum, decShift, decText, focusDateTime, headerKey, monthBounds, parseDec, parseVendorDateTime, tagsToJson } from './values';

/** FOCUS columns a template can fill, by how their text is read. */
const MONEY = new Set(['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'PricingCurrencyEffectiveCost']);
const NUMBER = new Set(['ConsumedQuantity', 'PricingQuantity', 'ListUnitPrice', 'ContractedUnitPrice', 'CommitmentDiscountQuantity']);
const TIME = new Set(['ChargePeriodStart', 'ChargePeriodEnd', 'BillingPeriodStart', 'BillingPeriodEnd']);
const JSON_COLS = new Set(['Tags']);

/** Columns every template's output carries, filled with defaults when the template does not map them. */
const BASE = ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'BillingCurrency', 'ChargePeriodStart', 'ChargePeriodEnd', 'BillingPeriodStart', 'BillingPeriodEnd', 'ChargeCategory'];

/** Header signature: the set of column names, case- and order-insensitive. */
export function headerSignature(header: readonly string[]): string {
  return [...new Set(header.map(headerKey).filter((h) => h !== ''))].sort().join('\u0001');
}

export function templateFormat(t: MappingTemplate): BillFormat {
  const signature = headerSignature(t.header);
  return {
    id: `template:${t.id}`,
    label: `Template "${t.name}"`,
    detect: (sample: TableSample) => (headerSignature(sample.header) === signature ? 1 : 0),
    createMapper: (sample: TableSample) => createTemplateMapper(t, sample.header),
  };
}

interface Source {
  column: string;
  index: number;
  constant: string | null;
}

export function createTemplateMapper(t: MappingTemplate, header: readonly string[]): RowMapper {
  const byKey = new Map<string, number>();
  header.forEach((h, i) => {
    const k = headerKey(h);
    if (!byKey.has(k)) byKey.set(k, i);
  });
  const sources: Source[] = [];
  for (const [column, m] of Object.entries(t.columns)) {
    if ('constant' in m) sources.push({ column, index: -1, constant: m.constant });
    else {
      const index = byKey.get(headerKey(m.source));
      if (index === undefined) throw new MappingSetupError(`the file has no column '${m.source}' (mapped to ${column})`);
      sources.push({ column, index, constant: null });
    }
  }
  const mapped = new Set(sources.map((s) => s.column));
  const missing: string[] = [];
  if (!mapped.has('BilledCost')) missing.push('BilledCost');
  if (!mapped.has('ChargePeriodStart')) missing.push('ChargePeriodStart');
  if (!mapped.has('BillingCurrency')) missing.push('BillingCurrency (a column or a constant such as USD)');
  if (missing.length > 0) throw new MappingSetupError(`the mapping needs ${missing.join(', ')}`);

  // unmapped source columns travel along as x_ columns, so nothing in the file is lost
  const used = new Set(sources.filter((s) => s.index >= 0).map((s) => s.index));
  const extras = t.keepUnmapped
    ? header
        .map((h, i) => ({ h: h.trim(), i }))
        .filter(({ h, i }) => h !== '' && !used.has(i))
        .map(({ h, i }) => ({ column: h.startsWith('x_') ? h : `x_${h.replace(/[^\w]+/g, '_')}`, index: i }))
    : [];
  const columns = [...new Set([...BASE, ...sources.map((s) => s.column), ...extras.map((e) => e.column)])];
  const at = new Map(columns.map((c, i) => [c, i]));
  const divisor = Math.round(Math.log10(Number(t.amountDivisor)));
  const slash = t.dateOrder === 'dmy' ? 'dmy' : 'mdy';
  const gaps: MappingGap[] = [];
  if (!mapped.has('EffectiveCost')) gaps.push({ column: 'EffectiveCost', note: 'not mapped: equal to BilledCost' });
  if (!mapped.has('ListCost')) gaps.push({ column: 'ListCost', note: 'not mapped: equal to BilledCost' });
  if (!mapped.has('ContractedCost')) gaps.push({ column: 'ContractedCost', note: 'not mapped: equal to BilledCost' });
  if (!mapped.has('ChargePeriodEnd')) gaps.push({ column: 'ChargePeriodEnd', note: 'not mapped: one day after ChargePeriodStart' });
  if (!mapped.has('BillingPeriodStart')) gaps.push({ column: 'BillingPeriodStart', note: 'not mapped: the calendar month (UTC) of ChargePeriodStart' });
  if (!mapped.has('ChargeCategory')) gaps.push({ column: 'ChargeCategory', note: 'not mapped: Usage' });
  const billedSource = sources.find((s) => s.column === 'BilledCost')!;
  const vendorSum = new DecimalSum();
  const out = new Array<string>(columns.length).fill('');

  const money = (text: string, row: number, column: string): string => {
    let s = text.trim();
    if (s === '') return '';
    if (t.decimalSeparator === ',') s = s.replace(/\./g, '').replace(',', '.');
    const plain = readAmount(s);
    if (plain === null) throw new MappingRowError(row, column, `${column} '${text}' is not a number`);
    if (divisor === 0) return plain;
    return decText(decShift(parseDec(plain)!, divisor));
  };
  const number = (text: string, row: number, column: string): string => {
    let s = text.trim();
    if (s === '') return '';
    if (t.decimalSeparator === ',') s = s.replace(/\./g, '').replace(',', '.');
    const d = parseDec(s);
    if (!d) throw new MappingRowError(row, column, `${column} '${text}' is not a number`);
    return decText(d);
  };
  const time = (text: string, row: number, column: string): number | null => {
    if (text.trim() === '') return null;
    const v = parseVendorDateTime(text, slash);
    if (v === null) throw new MappingRowError(row, column, `${column} '${text}' is not a date/time`);
    return v;
  };

  return {
    columns,
    map(cells, rowNo, emit) {
      out.fill('');
      const times: Record<string, number | null> = {};
      for (const s of sources) {
        const raw = s.constant ?? cells[s.index] ?? '';
        const i = at.get(s.column)!;
        if (MONEY.has(s.column)) out[i] = money(raw, rowNo, s.column);
        else if (NUMBER.has(s.column)) out[i] = number(raw, rowNo, s.column);
        else if (TIME.has(s.column)) times[s.column] = time(raw, rowNo, s.column);
        else if (JSON_COLS.has(s.column)) {
          const j = tagsToJson(raw);
          if (j === null) throw new MappingRowError(rowNo, s.column, `${s.column} '${raw}' is not a set of tags`);
          out[i] = j;
        } else out[i] = raw.trim();
      }
      for (const e of extras) out[at.get(e.column)!] = cells[e.index] ?? '';
      const billed = out[at.get('BilledCost')!]!;
      if (billed === '') throw new MappingRowError(rowNo, 'BilledCost', `BilledCost is empty (${billedSource.constant === null ? `column '${header[billedSource.index]}'` : 'constant'})`);
      vendorSum.add(billed);
      for (const c of ['EffectiveCost', 'ListCost', 'ContractedCost']) if (out[at.get(c)!] === '') out[at.get(c)!] = billed;
      if (out[at.get('ChargeCategory')!] === '') out[at.get('ChargeCategory')!] = 'Usage';
      const start = times.ChargePeriodStart ?? null;
      if (start === null) throw new MappingRowError(rowNo, 'ChargePeriodStart', 'ChargePeriodStart is empty');
      let end = times.ChargePeriodEnd ?? null;
      if (end !== null && t.endDateInclusive) end = addDays(end, 1);
      if (end === null || end <= start) end = end === null ? addDays(start, 1) : end;
      const [ms, me] = monthBounds(start);
      let bps = times.BillingPeriodStart ?? null;
      let bpe = times.BillingPeriodEnd ?? null;
      if (bpe !== null && t.endDateInclusive) bpe = addDays(bpe, 1);
      bps ??= ms;
      bpe ??= me;
      out[at.get('ChargePeriodStart')!] = focusDateTime(start);
      out[at.get('ChargePeriodEnd')!] = focusDateTime(end);
      out[at.get('BillingPeriodStart')!] = focusDateTime(bps);
      out[at.get('BillingPeriodEnd')!] = focusDateTime(bpe);
      if (out[at.get('BillingCurrency')!] === '') throw new MappingRowError(rowNo, 'BillingCurrency', 'BillingCurrency is empty');
      emit(out);
    },
    gaps: () => gaps,
    vendorTotals: (): VendorTotal[] =>
      billedSource.constant === null
        ? [{ focusColumn: 'BilledCost', vendorColumn: header[billedSource.index]!, vendorTotal: vendorSum.toString() }]
        : [],
  };
}
