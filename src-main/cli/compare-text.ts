// `meterbook compare` for people: the period arguments it reads and the aligned table it prints (scripts use --json).
import type { CompareLine, CompareOutput } from '../../src-shared/api/contract';

/** "2026-09-01..2026-09-30" → {from, to}; null when the text is not two days joined by "..". */
export function parsePeriod(text: string): { from: string; to: string } | null {
  const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(text.trim());
  return m ? { from: m[1]!, to: m[2]! } : null;
}

/**
 * An amount to the cent, rounded half away from zero on its decimal text (the engine's numbers are exact decimals of
 * up to 9 places; toFixed would round 1.005, binary 1.00499…, down).
 */
export function cents(v: number): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(v));
  if (!m) return v.toFixed(2);
  const frac = (m[3] ?? '').padEnd(3, '0');
  let c = BigInt(m[2]!) * 100n + BigInt(frac.slice(0, 2));
  if (frac.charCodeAt(2) >= 53) c += 1n;
  if (c === 0n) return '0.00';
  return `${m[1]}${c / 100n}.${String(c % 100n).padStart(2, '0')}`;
}

const NUMBER_COLUMNS = ['A', 'B', 'change', 'price', 'usage', 'mix', 'new', 'removed', 'credits'];

function cells(l: CompareLine): string[] {
  const p = l.parts;
  return [l.a, l.b, l.change, p.price, p.usage, p.mix, p.new, p.removed, p.credits].map(cents);
}

/** The comparison as a table: values left-aligned, amounts right-aligned to the cent, the whole scope last. */
export function compareText(res: CompareOutput): string {
  const header = [res.groupBy, ...NUMBER_COLUMNS];
  const label = (v: string | null, values?: number) => (v === null ? '(not set)' : values !== undefined ? `(other: ${values} values)` : v);
  const body = res.rows.map((r) => [label(r.value, r.values), ...cells(r), ...(res.currency === null ? [r.currency ?? '-'] : [])]);
  if (res.currency === null && res.rows.length > 0) header.push('currency');
  const foot = res.total ? [['total', ...cells(res.total), ...(res.currency === null && res.rows.length > 0 ? [''] : [])]] : [];
  const all = [header, ...body, ...foot];
  const width = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === 0 || i > NUMBER_COLUMNS.length ? c.padEnd(width[i]!) : c.padStart(width[i]!)))
      .join('  ')
      .trimEnd();
  const lines = [
    `${res.metric} by ${res.groupBy}${res.currency ? ` in ${res.currency}` : ''}: A ${res.a.from}..${res.a.to} (${res.a.rows} rows), B ${res.b.from}..${res.b.to} (${res.b.rows} rows)`,
    '',
  ];
  if (res.rows.length === 0) {
    lines.push('no rows in either period for this scope');
    return lines.join('\n');
  }
  lines.push(fmt(header), ...body.map(fmt));
  if (foot.length > 0) lines.push(fmt(width.map((w) => '-'.repeat(w))), ...foot.map(fmt));
  lines.push(
    '',
    'change = price + usage + mix + new + removed + credits, where',
    '  price    B quantity × (B − A unit cost) of resources in both periods; charges without a quantity: their whole change',
    '  usage    per pricing unit, (B − A quantity) × A average unit cost',
    '  mix      usage moving between resources of one unit at different unit costs',
    '  new      resources (else SKUs) charged only in B; removed: only in A',
    '  credits  credits, adjustments and corrections: B − A',
  );
  return lines.join('\n');
}
