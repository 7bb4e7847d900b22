// JSON bills as tables. API pages ({"data":[{… "results":[…]}]}) become one row per result carrying its bucket's
// fields; JSON lines and arrays become one row per object. Nested objects flatten to dotted names
// (`usage.amount`, `cache_creation.ephemeral_5m_input_tokens`); arrays stay JSON text in one cell (GCP `credits`,
// `labels`), for the mapper to read.

export type JsonRecord = Record<string, string>;

/** Arrays of records that hold the rows in the API page shapes we read (OpenAI, Anthropic, Datadog). */
const ROW_ARRAYS = ['data', 'results'];

function scalar(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

function flattenInto(obj: Record<string, unknown>, prefix: string, out: JsonRecord): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flattenInto(v as Record<string, unknown>, key, out);
    else out[key] = scalar(v);
  }
}

function isRecordArray(v: unknown): v is Record<string, unknown>[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x));
}

/**
 * Rows of one JSON value. An object holding a `data` or `results` array of objects is a page: each element becomes
 * rows (recursively), inheriting the page's other scalar fields (a bucket's start_time reaches its results; a
 * result's own field of the same name wins). Anything else is one row.
 */
export function recordsOf(value: unknown, inherited: JsonRecord = {}): JsonRecord[] {
  if (Array.isArray(value)) return value.flatMap((v) => recordsOf(v, inherited));
  if (value === null || typeof value !== 'object') return [];
  const obj = value as Record<string, unknown>;
  const arrayKey = ROW_ARRAYS.find((k) => isRecordArray(obj[k]));
  if (arrayKey === undefined) {
    // an empty page (`"data": []` or `"results": []`) has no rows
    if (ROW_ARRAYS.some((k) => Array.isArray(obj[k]) && (obj[k] as unknown[]).length === 0)) return [];
    const out: JsonRecord = { ...inherited };
    flattenInto(obj, '', out);
    return [out];
  }
  const own: JsonRecord = { ...inherited };
  for (const [k, v] of Object.entries(obj)) {
    if (k === arrayKey) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flattenInto(v as Record<string, unknown>, k, own);
    else if (!Array.isArray(v)) own[k] = scalar(v);
  }
  // paging fields describe the request, not the rows
  delete own.has_more;
  delete own.next_page;
  delete own.object;
  return (obj[arrayKey] as unknown[]).flatMap((v) => recordsOf(v, own));
}

/** Parse JSON text (one document, or JSON lines) into records. Throws SyntaxError with the line for JSON lines. */
export function parseJsonRecords(text: string): JsonRecord[] {
  const t = text.replace(/^\uFEFF/, '').trim();
  if (t === '') return [];
  try {
    return recordsOf(JSON.parse(t));
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
  }
  const out: JsonRecord[] = [];
  const lines = t.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new SyntaxError(`line ${i + 1}: ${(e as Error).message}`);
    }
    out.push(...recordsOf(v));
  }
  return out;
}

/** A header (union of keys, in first-seen order) and rows aligned with it. */
export function recordsToTable(records: readonly JsonRecord[]): { header: string[]; rows: string[][] } {
  const index = new Map<string, number>();
  for (const r of records) for (const k of Object.keys(r)) if (!index.has(k)) index.set(k, index.size);
  const header = [...index.keys()];
  const rows = records.map((r) => header.map((h) => r[h] ?? ''));
  return { header, rows };
}
