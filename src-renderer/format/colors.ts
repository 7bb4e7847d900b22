// Series colors: one palette readable on light and dark surfaces; the "(other)" bucket is always neutral grey.
import { OTHER } from './labels';

export const PALETTE = [
  '#4C6EF5', // indigo
  '#12B886', // teal
  '#FAB005', // amber
  '#F76707', // orange
  '#BE4BDB', // grape
  '#15AABF', // cyan
  '#E64980', // pink
  '#82C91E', // lime
  '#7950F2', // violet
  '#FA5252', // red
] as const;

export const OTHER_COLOR = '#A0A7B4';

/** Assign colors to series names in order; "(other)" gets the neutral color. */
export function assignColors(names: ReadonlyArray<string | null>): Map<string | null, string> {
  const map = new Map<string | null, string>();
  let i = 0;
  for (const n of names) {
    if (map.has(n)) continue;
    if (n === OTHER) map.set(n, OTHER_COLOR);
    else map.set(n, PALETTE[i++ % PALETTE.length]!);
  }
  return map;
}
