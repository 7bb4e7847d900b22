// Meterbook's checks for a few "Dynamic" rules of the model, i.e. rules whose Requirement the model leaves empty
// because they are not expressed in its check language. Only rules whose text is precise enough to check from a
// header or a single row are here; every other Dynamic rule is reported as skipped. The rule ids and texts stay the
// model's; only the evaluation is ours.
import { LEGACY_COLUMN_NAMES, costColumn } from '../../src-shared/focus/catalog';

export interface HeaderInfo {
  /** Header cells as read, without a BOM and surrounding blanks. */
  cells: string[];
  /** Canonical FOCUS column per cell, null for a column FOCUS does not define (a custom column). */
  canonical: (string | null)[];
  /** Canonical FOCUS column → cell index (the first cell that maps to it). */
  index: Map<string, number>;
}

export interface HeaderResult {
  fail: boolean;
  reason?: string;
}

const list = (xs: string[], max = 5): string =>
  xs.slice(0, max).join(', ') + (xs.length > max ? ` and ${xs.length - max} more` : '');

const customColumns = (h: HeaderInfo): string[] => h.cells.filter((_, i) => h.canonical[i] === null);

function focusColumnsFirst(h: HeaderInfo): HeaderResult {
  const firstCustom = h.canonical.findIndex((c) => c === null);
  if (firstCustom < 0) return { fail: false };
  const after = h.cells.filter((_, i) => i > firstCustom && h.canonical[i] !== null);
  return after.length === 0
    ? { fail: false }
    : { fail: true, reason: `custom column ${h.cells[firstCustom]} comes before FOCUS columns ${list(after)}` };
}

/** Rules decided from the header alone. */
export const HEADER_EXTENSIONS: Readonly<Record<string, (h: HeaderInfo) => HeaderResult>> = {
  // Column IDs MUST use Pascal case: a FOCUS column must be spelled exactly as FOCUS spells it.
  'ColumnHandling-A-001-M': (h) => {
    const legacy = new Set(Object.keys(LEGACY_COLUMN_NAMES));
    const bad: string[] = [];
    h.cells.forEach((cell, i) => {
      const c = h.canonical[i];
      if (c && cell !== c && !legacy.has(cell)) bad.push(`${cell} (${c})`);
    });
    return bad.length === 0 ? { fail: false } : { fail: true, reason: `not spelled as FOCUS spells them: ${list(bad)}` };
  },
  // Column IDs SHOULD NOT exceed 50 characters.
  'ColumnHandling-A-005-O': (h) => {
    const bad = h.cells.filter((c) => c.length > 50);
    return bad.length === 0 ? { fail: false } : { fail: true, reason: `longer than 50 characters: ${list(bad)}` };
  },
  // Custom columns MUST be prefixed with x_.
  'ColumnHandling-A-010-M': (h) => {
    const bad = customColumns(h).filter((c) => !c.startsWith('x_'));
    return bad.length === 0 ? { fail: false } : { fail: true, reason: `custom columns without the x_ prefix: ${list(bad)}` };
  },
  // All FOCUS columns SHOULD be first; custom columns SHOULD come after all FOCUS columns.
  'ColumnHandling-A-012-O': focusColumnsFirst,
  'ColumnHandling-A-013-O': focusColumnsFirst,
};

export interface RowExtension {
  /** Cell indexes the expression reads (the generated prelude defines C<i>, T<i>, N<i> for them). */
  columns: number[];
  /** JavaScript expression over C<i> (cell text) and T<i> (nullKind of the cell) that is true when the row passes. */
  expr: string;
}

/** Rules evaluated per row. Return null when the file has nothing the rule could look at. */
export const ROW_EXTENSIONS: Readonly<Record<string, (h: HeaderInfo) => RowExtension | null>> = {
  // Columns MUST NOT use empty strings or placeholder values to represent null. In a CSV file an empty cell is the
  // only null there is, so it is not flagged; the text `NULL` (any case), `N/A`, `NaN` and `Not Applicable` are.
  // nullKind: 2 = null text, 3 = other placeholder; both have bit 2 set.
  'NullHandling-A-002-M': (h) => {
    const cols = [...h.index.values()].sort((a, b) => a - b);
    if (cols.length === 0) return null;
    return { columns: cols, expr: `((${cols.map((i) => `T${i}`).join(' | ')}) & 2) === 0` };
  },
  // Empty strings and strings of only spaces SHOULD NOT be used in not-nullable string columns.
  'StringHandling-A-007-M': (h) => {
    const cols = [...h.index.entries()]
      .filter(([name]) => {
        const spec = costColumn(name);
        return spec !== undefined && spec.type === 'String' && !spec.allowsNulls;
      })
      .map(([, i]) => i)
      .sort((a, b) => a - b);
    if (cols.length === 0) return null;
    return { columns: cols, expr: `!(${cols.map((i) => `isBlankText(C${i})`).join(' || ')})` };
  },
};
