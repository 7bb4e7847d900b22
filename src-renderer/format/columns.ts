// How Cost and Usage columns display in the detail grid: width, alignment and cell text.
import { costColumn, MONEY_COLUMNS } from '../../src-shared/focus/catalog';
import { formatDecimal } from './money';

const MONEY = new Set<string>(MONEY_COLUMNS);

export type Align = 'left' | 'right';

export interface ColumnLayout {
  name: string;
  width: number;
  align: Align;
  money: boolean;
}

export function isMoneyColumn(name: string): boolean {
  return MONEY.has(name);
}

export function columnLayout(name: string): ColumnLayout {
  const spec = costColumn(name);
  const money = MONEY.has(name);
  const numeric = money || spec?.type === 'Decimal';
  let width = 160;
  if (numeric) width = 132;
  else if (spec?.type === 'Date/Time') width = 176;
  else if (spec?.type === 'JSON' || name === 'Tags' || name.startsWith('Tags.')) width = 260;
  else if (/Id$/.test(name)) width = 210;
  else if (/Name$|Description$/.test(name)) width = 190;
  width = Math.max(width, Math.ceil(name.length * 7.4) + 34);
  return { name, width, align: numeric ? 'right' : 'left', money };
}

/** Cell text: numbers with grouping at full precision, null as an empty marker. */
export function cellText(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatDecimal(v);
  return v;
}
