// The parts of a change as the Compare screen names and explains them (the engine's method is in the contract's
// description of explore.compare). Pure.
import type { ComparePart } from '../../src-shared/api/contract';
import { formatMoney, formatMoneyCompact } from './money';

export const PARTS: ReadonlyArray<{ id: ComparePart; label: string; hint: string }> = [
  { id: 'price', label: 'Price', hint: 'Unit cost changed: B quantity × (B unit cost − A unit cost). Charges without a quantity (fees, support, tax) count their whole change here.' },
  { id: 'usage', label: 'Usage', hint: 'Quantity changed: per pricing unit, (B quantity − A quantity) × the A average unit cost.' },
  { id: 'mix', label: 'Mix', hint: 'Usage moved between resources or SKUs of the same unit at different unit costs (and a nano of rounding).' },
  { id: 'new', label: 'New', hint: 'Resources (or SKUs) charged in B only: their B cost.' },
  { id: 'removed', label: 'Removed', hint: 'Resources (or SKUs) charged in A only: minus their A cost.' },
  { id: 'credits', label: 'Credits', hint: 'Credits, adjustments and corrections: their B amount − their A amount.' },
];

/** "+$1,234.56" / "-$1,234.56" / "$0.00": a change reads with its sign. */
export function signedMoney(v: number, currency: string | null): string {
  const text = formatMoney(v, currency);
  return v >= 0.005 ? `+${text}` : text;
}

export function signedMoneyCompact(v: number, currency: string | null): string {
  const text = formatMoneyCompact(v, currency);
  return v >= 0.005 ? `+${text}` : text;
}

/** Direction of a change for colouring: cost up, down, or (to the cent) none. */
export function direction(v: number): 'up' | 'down' | 'flat' {
  return v >= 0.005 ? 'up' : v <= -0.005 ? 'down' : 'flat';
}

/** B relative to A, or null when A is zero. */
export function changeRatio(a: number, b: number): number | null {
  return a === 0 ? null : (b - a) / Math.abs(a);
}
