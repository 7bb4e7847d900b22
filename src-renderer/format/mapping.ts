// Mapping studio helpers, pure: the FOCUS columns the studio offers, first guesses of which source column fills
// which FOCUS column (by name), of the file's conventions (by its first rows), and the template a draft becomes.
import type { MappingTemplate } from '../../src-shared/api/contract';

export type ColumnChoice = { source: string } | { constant: string };

/** Without these the engine cannot map a row. */
export const REQUIRED_COLUMNS = ['BilledCost', 'ChargePeriodStart', 'BillingCurrency'] as const;

/** Offered for every file; the engine fills sensible defaults for those left unmapped. */
export const RECOMMENDED_COLUMNS = [
  'ChargePeriodEnd',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargeCategory',
  'ServiceName',
  'ServiceProviderName',
  'InvoiceIssuerName',
  'BillingAccountId',
  'SubAccountId',
  'ResourceId',
  'RegionId',
  'SkuId',
  'ConsumedQuantity',
  'ConsumedUnit',
  'PricingQuantity',
  'PricingUnit',
  'Tags',
  'ChargeDescription',
] as const;

interface Rule {
  /** Whole words of the header that point to the column, strongest first. */
  words: string[];
  /** Also matched inside a longer word ("Gesamtbetrag"). */
  parts?: string[];
  /** A header containing one of these is never this column ("Kostenstelle" is a cost centre, not a cost). */
  not?: string[];
}

const RULES: Record<string, Rule> = {
  BilledCost: {
    words: ['cost', 'amount', 'betrag', 'kosten', 'total', 'spend', 'montant', 'importe', 'billed'],
    parts: ['betrag', 'amount', 'cost', 'kosten'],
    not: ['stelle', 'center', 'centre', 'currency', 'unit', 'list', 'effective', 'contracted'],
  },
  ChargePeriodStart: {
    words: ['date', 'datum', 'day', 'start', 'time', 'timestamp', 'period', 'month', 'fecha', 'tag'],
    parts: ['datum', 'date'],
    not: ['end', 'ende', 'bis', 'until', 'billing', 'invoice'],
  },
  ChargePeriodEnd: { words: ['end', 'ende', 'bis', 'until'], not: ['billing', 'invoice'] },
  BillingCurrency: {
    words: ['currency', 'währung', 'waehrung', 'ccy', 'curr', 'devise', 'moneda'],
    parts: ['currency', 'währung'],
  },
  EffectiveCost: { words: ['effective', 'amortized', 'amortised'] },
  ServiceName: { words: ['service', 'product', 'produkt', 'produit', 'leistung', 'artikel'], parts: ['service', 'produkt', 'product'] },
  ServiceProviderName: { words: ['provider', 'vendor', 'anbieter', 'lieferant', 'supplier'] },
  SubAccountId: {
    words: ['account', 'konto', 'subscription', 'project', 'compte', 'cuenta', 'workspace'],
    parts: ['account', 'konto'],
    not: ['billing'],
  },
  RegionId: { words: ['region', 'location', 'standort', 'zone'] },
  ResourceId: { words: ['resource', 'instance', 'ressource'] },
  SkuId: { words: ['sku'] },
  ConsumedQuantity: { words: ['quantity', 'qty', 'menge', 'anzahl', 'units', 'count'], not: ['unit price', 'pricing'] },
  ConsumedUnit: { words: ['unit', 'einheit', 'uom'], not: ['price', 'cost', 'pricing', 'units'] },
  ChargeDescription: { words: ['description', 'beschreibung', 'desc', 'memo', 'text', 'details'] },
  ChargeCategory: { words: ['category', 'kategorie'] },
  Tags: { words: ['tags', 'labels'] },
};

/** The words of a header: camelCase and punctuation split, lower-cased. */
export function headerWords(header: string): string[] {
  return header
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

function squash(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** How well `header` fits `column` (0: not at all). */
function score(column: string, header: string): number {
  if (squash(header) === column.toLowerCase()) return 1000;
  const rule = RULES[column];
  if (!rule) return 0;
  const lower = header.toLowerCase();
  const words = headerWords(header);
  // short exclusions only as whole words ("end" must not exclude "Vendor")
  if (rule.not?.some((n) => (n.length >= 5 ? lower.includes(n) : words.includes(n)))) return 0;
  let best = 0;
  rule.words.forEach((w, i) => {
    if (words.includes(w)) best = Math.max(best, 100 - i);
  });
  rule.parts?.forEach((p, i) => {
    if (words.some((w) => w.includes(p))) best = Math.max(best, 50 - i);
  });
  return best;
}

/**
 * First guesses: FOCUS column → source column, by name. Each source column is used once, the best fit first
 * (an exact FOCUS name beats a word, a whole word beats part of one; ties go to the required columns).
 */
export function guessMapping(header: readonly string[]): Record<string, ColumnChoice> {
  const targets = [...REQUIRED_COLUMNS, ...RECOMMENDED_COLUMNS] as string[];
  const pairs: Array<{ column: string; source: string; score: number; order: number }> = [];
  targets.forEach((column, order) => {
    header.forEach((source) => {
      if (source.trim() === '') return;
      const s = score(column, source);
      if (s > 0) pairs.push({ column, source, score: s, order });
    });
  });
  pairs.sort((a, b) => b.score - a.score || a.order - b.order || header.indexOf(a.source) - header.indexOf(b.source));
  const out: Record<string, ColumnChoice> = {};
  const usedSources = new Set<string>();
  for (const p of pairs) {
    if (out[p.column] || usedSources.has(p.source)) continue;
    out[p.column] = { source: p.source };
    usedSources.add(p.source);
  }
  return out;
}

export interface MappingOptions {
  dateOrder: 'mdy' | 'dmy';
  decimalSeparator: '.' | ',';
  amountDivisor: '1' | '100' | '1000' | '1000000';
  endDateInclusive: boolean;
  keepUnmapped: boolean;
}

export const DEFAULT_OPTIONS: MappingOptions = {
  dateOrder: 'mdy',
  decimalSeparator: '.',
  amountDivisor: '1',
  endDateInclusive: false,
  keepUnmapped: true,
};

/**
 * The file's conventions as far as its first rows tell: day-first dates when a date's first number is over 12,
 * a decimal comma when amounts look like "3,5" and none like "3.5", cents when the cost column says so.
 */
export function guessOptions(header: readonly string[], rows: readonly (readonly string[])[], columns: Record<string, ColumnChoice>): MappingOptions {
  const cells = (column: string): string[] => {
    const c = columns[column];
    if (!c || !('source' in c)) return [];
    const i = header.indexOf(c.source);
    return i < 0 ? [] : rows.map((r) => (r[i] ?? '').trim()).filter((v) => v !== '');
  };
  const opts: MappingOptions = { ...DEFAULT_OPTIONS };
  const dates = [...cells('ChargePeriodStart'), ...cells('ChargePeriodEnd')];
  const firstNumbers = dates.map((d) => /^(\d{1,2})[./-](\d{1,2})[./-]\d{2,4}/.exec(d)).filter((m) => m !== null);
  if (firstNumbers.some((m) => Number(m[1]) > 12)) opts.dateOrder = 'dmy';
  else if (firstNumbers.length > 0 && firstNumbers.every((m) => m[0].includes('.'))) opts.dateOrder = 'dmy'; // 03.02.2025 is German/European
  const numbers = ['BilledCost', 'EffectiveCost', 'ConsumedQuantity'].flatMap(cells);
  if (numbers.some((v) => /^-?\d+,\d+$/.test(v)) && !numbers.some((v) => /^-?\d+\.\d+$/.test(v))) opts.decimalSeparator = ',';
  const billed = columns.BilledCost;
  if (billed && 'source' in billed) {
    const words = headerWords(billed.source);
    if (words.includes('cent') || words.includes('cents')) opts.amountDivisor = '100';
  }
  return opts;
}

/** A template name from a file name: "acme-invoice_2025-02.csv.gz" → "acme-invoice_2025-02". */
export function defaultTemplateName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/(\.(csv|txt|tsv|gz|zip|json|jsonl))+$/i, '');
  return base.trim() || 'My mapping';
}

/** A stable id for a template name (saving under the same name replaces the template). */
export function templateId(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return slug || 'template';
}

/** The template a studio draft becomes: unset rows left out, constants kept as typed. */
export function buildTemplate(
  name: string,
  header: readonly string[],
  columns: Record<string, ColumnChoice | undefined>,
  options: MappingOptions,
): MappingTemplate {
  const out: Record<string, ColumnChoice> = {};
  for (const [column, choice] of Object.entries(columns)) {
    if (!choice) continue;
    if ('source' in choice && choice.source === '') continue;
    out[column] = choice;
  }
  const trimmed = name.trim() || 'My mapping';
  return { id: templateId(trimmed), name: trimmed, header: [...header], columns: out, ...options };
}

/** Required columns the draft leaves without a source or constant. */
export function missingRequired(columns: Record<string, ColumnChoice | undefined>): string[] {
  return REQUIRED_COLUMNS.filter((c) => {
    const m = columns[c];
    return !m || ('source' in m ? m.source === '' : m.constant.trim() === '');
  });
}

/** The first non-empty value of a source column in the sample rows (for the column picker). */
export function sampleOf(header: readonly string[], rows: readonly (readonly string[])[], source: string): string | null {
  const i = header.indexOf(source);
  if (i < 0) return null;
  for (const r of rows) {
    const v = (r[i] ?? '').trim();
    if (v !== '') return v;
  }
  return null;
}

/** The file an export writes: readable by "Import templates" here and on another machine. */
export function templatesFile(templates: MappingTemplate[]): string {
  return JSON.stringify({ kind: 'meterbook-mapping-templates', version: 1, templates }, null, 2);
}

/** Templates from an exported file (the export's object, or a bare array of templates). */
export function templatesFromJson(text: string): unknown[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (Array.isArray(parsed)) return parsed;
  if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { templates?: unknown }).templates)) {
    return (parsed as { templates: unknown[] }).templates;
  }
  return null;
}
