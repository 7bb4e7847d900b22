// Pure: the screen and explore state as a URL hash, so a view can be bookmarked and reloaded (browser mode; harmless
// in Electron). Readable where it can be:
//   #/overview?from=2025-01-01&to=2025-03-31&g=ServiceName,RegionId&m=EffectiveCost&gr=month&f=ServiceName:EC2,S3;!RegionId:~
// f: filters joined by ';', each `[!]column:value,value` ('!' excludes, '~' is a missing value). Every name and value
// is percent-encoded, '!', '~' and the other marks included, so a separator is never part of one. A hash is typed or
// pasted by people: what does not parse is ignored, part by part, and the rest still applies.
import type { AppView, Filter, Metric, SavedViewDefinition } from '../../src-shared/api/contract';
import { isAppView, isMetric, isViewGranularity, type ViewGranularity } from './view-state';

export interface UrlState {
  view?: AppView;
  from?: string;
  to?: string;
  filters?: Filter[];
  groupBy?: string[];
  metric?: Metric;
  granularity?: ViewGranularity;
}

const NULL_VALUE = '~';
const MAX_LEVELS = 3;
const MAX_FILTERS = 50;
const MAX_NAME = 200;

/** encodeURIComponent, plus the marks it leaves alone (used as separators here). */
function enc(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function dec(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function encodeFilter(f: Filter): string {
  const values = f.values.map((v) => (v === null ? NULL_VALUE : enc(v))).join(',');
  return `${f.exclude ? '!' : ''}${enc(f.column)}:${values}`;
}

export function encodeUrlState(def: SavedViewDefinition): string {
  const params: string[] = [];
  if (def.from) params.push(`from=${enc(def.from)}`);
  if (def.to) params.push(`to=${enc(def.to)}`);
  params.push(`g=${def.groupBy.map(enc).join(',')}`);
  params.push(`m=${enc(def.metric)}`);
  params.push(`gr=${enc(def.granularity)}`);
  if (def.filters.length > 0) params.push(`f=${def.filters.map(encodeFilter).join(';')}`);
  return `#/${enc(def.view)}?${params.join('&')}`;
}

function isDay(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function isName(s: string | null): s is string {
  return s !== null && s.length > 0 && s.length <= MAX_NAME;
}

function decodeLevels(raw: string): string[] | undefined {
  const out: string[] = [];
  for (const part of raw.split(',')) {
    const name = dec(part);
    if (isName(name) && !out.includes(name) && out.length < MAX_LEVELS) out.push(name);
  }
  return out.length > 0 ? out : undefined;
}

function decodeFilter(raw: string): Filter | null {
  const exclude = raw.startsWith('!');
  const body = exclude ? raw.slice(1) : raw;
  const colon = body.indexOf(':');
  if (colon < 0) return null;
  const column = dec(body.slice(0, colon));
  if (!isName(column)) return null;
  const values: Array<string | null> = [];
  for (const part of body.slice(colon + 1).split(',')) {
    const value = part === NULL_VALUE ? null : dec(part);
    if (value === null && part !== NULL_VALUE) return null;
    if (!values.includes(value)) values.push(value);
  }
  return exclude ? { column, values, exclude: true } : { column, values };
}

function decodeFilters(raw: string): Filter[] | undefined {
  if (raw === '') return [];
  const out: Filter[] = [];
  for (const part of raw.split(';')) {
    const f = decodeFilter(part);
    if (f && out.length < MAX_FILTERS) out.push(f);
  }
  return out;
}

/** What a hash says, keeping only the parts that are valid; `{}` for an empty or foreign hash. */
export function decodeUrlState(hash: string): UrlState {
  const body = hash.replace(/^#/, '').replace(/^\//, '');
  if (body === '') return {};
  const q = body.indexOf('?');
  const path = q < 0 ? body : body.slice(0, q);
  const query = q < 0 ? '' : body.slice(q + 1);
  const out: UrlState = {};
  const view = dec(path);
  if (isAppView(view)) out.view = view;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    if (key === 'from' || key === 'to') {
      const day = dec(raw);
      if (day !== null && isDay(day)) out[key] = day;
    } else if (key === 'g') {
      const g = decodeLevels(raw);
      if (g) out.groupBy = g;
    } else if (key === 'm') {
      const m = dec(raw);
      if (isMetric(m)) out.metric = m;
    } else if (key === 'gr') {
      const gr = dec(raw);
      if (isViewGranularity(gr)) out.granularity = gr;
    } else if (key === 'f') {
      const f = decodeFilters(raw);
      if (f) out.filters = f;
    }
  }
  // a range that ends before it starts is a typo: the whole range is safer than an empty one
  if (out.from && out.to && out.from > out.to) {
    delete out.from;
    delete out.to;
  }
  return out;
}

/** True when the hash said nothing usable. */
export function isEmptyUrlState(u: UrlState): boolean {
  return Object.keys(u).length === 0;
}

/**
 * The state a hash restores over `base` (the workspace's defaults). A hash that names a screen is a whole state, as
 * encodeUrlState writes it: a date bound or filters it leaves out mean none, not "keep the current ones".
 */
export function mergeUrlState(base: SavedViewDefinition, u: UrlState): SavedViewDefinition {
  const whole = u.view !== undefined;
  const out: SavedViewDefinition = {
    view: u.view ?? base.view,
    filters: u.filters ?? (whole ? [] : base.filters),
    groupBy: u.groupBy ?? base.groupBy,
    metric: u.metric ?? base.metric,
    granularity: u.granularity ?? base.granularity,
  };
  const from = u.from ?? (whole ? undefined : base.from);
  const to = u.to ?? (whole ? undefined : base.to);
  if (from) out.from = from;
  if (to) out.to = to;
  return out;
}
