// Display labels for dimension values and columns. Pure.

export const OTHER = '(other)';

/** How a dimension value reads on screen: null → "(not set)", the engine's other-bucket → "All others" (FOCUS
 * itself has values named "Other", e.g. ServiceCategory). */
export function valueLabel(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '(not set)';
  if (value === OTHER) return 'All others';
  return String(value);
}

/** "Tags.team" → "team (tag)"; FOCUS names are split on case: "ServiceName" → "Service Name". */
export function columnLabel(column: string, known?: ReadonlyMap<string, string>): string {
  const k = known?.get(column);
  if (k) return k;
  if (column.startsWith('Tags.')) return `${column.slice(5)} (tag)`;
  return column.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
}
