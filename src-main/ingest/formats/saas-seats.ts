// Generic per-seat SaaS licence CSVs (invoice or licence-management exports of Slack, M365, Copilot seats, Zoom, …):
// one row per product/plan and period with a seat count, a price per seat and/or an amount. There is no standard
// (vendor-formats.md §5.3, §4.6), so columns are found by meaning across the usual spellings ("seats", "Licenses",
// "price_per_seat", "Unit Price", "Total", "Billing Period", …). Detection is strict: the header must name a seat
// count (or a quantity whose unit is seats), a price per seat or an amount, and a date or period.
//
// How a seat line becomes FOCUS rows follows FOCUS's own SaaS examples (the spec repository's
// specification/data/saas_examples/: annual_commitment_billed_monthly_a.csv, and seat_based_saas_annual_a.csv, copied
// to test/fixtures/focus/spec-v1.4/). Seats charged for a period of up to a month are used in the period they are
// billed for, so the line is one Usage / Recurring row with BilledCost = EffectiveCost. A line prepaying a longer term
// (an annual licence billed up front) is a Purchase that covers the months to come: EffectiveCost 0 on the purchase
// (FOCUS EffectiveCost-C-005-C) and one Usage row per month of the term carrying that month's share of the amount as
// EffectiveCost (BilledCost 0).
import type { BillFormat, EmitRow, MappingGap, RowMapper, TableSample, VendorTotal } from './types';
import { MappingRowError, MappingSetupError } from './types';
import {
  DecimalSum,
  addDays,
  cell,
  decAdd,
  decCmp,
  decDiv,
  decMul,
  decSub,
  decText,
  focusDateTime,
  monthBounds,
  parseDec,
  parseVendorDateTime,
  type Dec,
  type SlashOrder,
  isPlainDecimal,
} from './values';

// ---------------------------------------------------------------------------------------------------------------
// Header vocabulary (keys: lower case, letters and digits only, a trailing "(…)" removed)

const SEAT_NAMES = [
  'seats', 'seatcount', 'numberofseats', 'purchasedseats', 'totalseats', 'paidseats', 'billableseats', 'seatquantity',
  'licenses', 'licences', 'licensecount', 'licencecount', 'numberoflicenses', 'numberoflicences', 'purchasedlicenses',
  'purchasedlicences', 'totallicenses', 'totallicences', 'licensequantity', 'licencequantity', 'licensedusers',
  'prepaidunits', 'seatspurchased', 'licensespurchased',
];
const QUANTITY_NAMES = ['quantity', 'qty', 'units'];
const UNIT_NAMES = ['unit', 'units', 'unittype', 'uom', 'unitofmeasure', 'pricingunit'];
const ASSIGNED_NAMES = [
  'assignedseats', 'assigned', 'assignedlicenses', 'assignedlicences', 'seatsassigned', 'licensesassigned', 'usedseats',
  'consumedunits', 'allocatedseats', 'allocated',
];
const ACTIVE_NAMES = ['activeseats', 'active', 'activeusers', 'activelicenses', 'activelicences', 'seatsactive', 'monthlyactiveusers'];
const PRICE_NAMES = [
  'priceperseat', 'priceperlicense', 'priceperlicence', 'priceperuser', 'seatprice', 'licenseprice', 'licenceprice',
  'costperseat', 'costperlicense', 'costperuser', 'unitprice', 'unitcost', 'rate', 'listprice', 'price',
];
const AMOUNT_NAMES = [
  'amount', 'total', 'totalamount', 'linetotal', 'lineamount', 'amountdue', 'totalcost', 'cost', 'extendedprice',
  'extendedamount', 'netamount', 'subtotal', 'charge', 'charges', 'billedamount', 'invoiceamount', 'totalprice',
];
const CURRENCY_NAMES = ['currency', 'currencycode', 'billingcurrency'];
const INVOICE_DATE_NAMES = ['invoicedate', 'billingdate', 'invoicedon', 'chargedate', 'transactiondate', 'orderdate', 'date'];
const START_NAMES = [
  'periodstart', 'billingperiodstart', 'servicestart', 'servicestartdate', 'startdate', 'termstart', 'periodfrom',
  'servicefrom', 'start',
];
const END_NAMES = ['periodend', 'billingperiodend', 'serviceend', 'serviceenddate', 'enddate', 'termend', 'periodto', 'serviceto', 'end'];
const PERIOD_NAMES = ['billingperiod', 'period', 'serviceperiod', 'billingmonth', 'month'];
const VENDOR_NAMES = ['vendor', 'vendorname', 'supplier', 'suppliername', 'provider', 'providername', 'seller', 'merchant'];
const ISSUER_NAMES = ['reseller', 'billedby', 'invoiceissuer', 'invoiceissuername', 'partner'];
const PRODUCT_NAMES = ['product', 'productname', 'service', 'servicename', 'application', 'app', 'tool'];
const PLAN_NAMES = ['plan', 'planname', 'tier', 'edition', 'skuname', 'subscriptionplan', 'license', 'licensename'];
const SKU_NAMES = ['sku', 'skuid', 'productid', 'planid', 'offerid'];
const INVOICE_NAMES = ['invoice', 'invoiceid', 'invoicenumber', 'invoiceno'];
const ACCOUNT_NAMES = ['accountid', 'account', 'customerid', 'customer', 'tenantid', 'billingaccount', 'billingaccountid'];
const ACCOUNT_NAME_NAMES = ['billingaccountname', 'accountname', 'customername', 'tenantname', 'companyname'];
const SUBACCOUNT_NAMES = ['workspace', 'workspaceid', 'organization', 'organisation', 'org', 'subscriptionid', 'subaccount'];
const COST_CENTER_NAMES = ['costcenter', 'costcentre', 'department', 'team', 'businessunit'];
const DESCRIPTION_NAMES = ['description', 'chargedescription', 'lineitem', 'itemdescription'];
const TERM_NAMES = ['term', 'billingcycle', 'billingfrequency', 'commitment', 'billingterm'];

/** Columns of FOCUS and of the other bill formats: a header with any of these is not a generic seat CSV. */
const FOREIGN_NAMES = [
  'billedcost', 'effectivecost', 'chargeperiodstart', 'pricingquantity', 'listunitprice', 'serviceprovidername',
  'appliedcostperquantity', 'lineitemunblendedcost', 'costinbillingcurrency', 'pretaxcost', 'meterid', 'requestsused',
];

const SEAT_UNIT_WORDS = new Set([
  'seat', 'seats', 'license', 'licenses', 'licence', 'licences', 'user', 'users', 'usermonth', 'usermonths', 'seatmonth',
  'seatmonths', 'peruser', 'perseat', 'userpermonth', 'seatpermonth', 'licensepermonth',
]);

interface HeaderInfo {
  index: Map<string, number>;
  /** Hints from a trailing "(…)" on header names: key → text inside, lower case. */
  hints: Map<string, string>;
}

function headerInfo(header: readonly string[]): HeaderInfo {
  const index = new Map<string, number>();
  const hints = new Map<string, string>();
  header.forEach((h, i) => {
    let t = h.replace(/^\uFEFF/, '').trim().toLowerCase();
    const paren = /\(([^()]*)\)\s*$/.exec(t);
    let hint = '';
    if (paren) {
      hint = paren[1]!.trim();
      t = t.slice(0, paren.index);
    }
    const key = t.replace(/[^a-z0-9]/g, '');
    if (key !== '' && !index.has(key)) {
      index.set(key, i);
      if (hint !== '') hints.set(key, hint);
    }
  });
  return { index, hints };
}

function findIn(h: HeaderInfo, names: readonly string[]): { i: number; key: string } {
  for (const n of names) {
    const i = h.index.get(n);
    if (i !== undefined) return { i, key: n };
  }
  return { i: -1, key: '' };
}

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z]/g, '');

// ---------------------------------------------------------------------------------------------------------------
// Values

const SYMBOL_CURRENCY: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY' };

/**
 * Money or count text as exact decimal text: plain numbers pass through; "$1,234.50", "1,234.50 USD", "(12.00)",
 * "€ 5", "+3" are cleaned. Returns null when the text is not a number. The symbol or code seen is reported through
 * `seen` (for a currency fallback).
 */
export function readAmount(text: string, seen?: { currency: string }): string | null {
  if (isPlainDecimal(text)) return text;
  let t = text.trim();
  if (t === '') return null;
  let neg = false;
  if (t.startsWith('(') && t.endsWith(')')) {
    neg = true;
    t = t.slice(1, -1).trim();
  }
  if (t.startsWith('-')) {
    neg = !neg;
    t = t.slice(1).trim();
  }
  const code = /^([A-Za-z]{3})\s*(.*)$/.exec(t) ?? /^(.*?)\s*([A-Za-z]{3})$/.exec(t);
  if (code) {
    const [a, b] = [code[1]!, code[2]!];
    const isFirst = /^[A-Za-z]{3}$/.test(a);
    if (seen) seen.currency = (isFirst ? a : b).toUpperCase();
    t = (isFirst ? b : a).trim();
  }
  const sym = t[0] !== undefined && SYMBOL_CURRENCY[t[0]] ? t[0] : t.length > 0 && SYMBOL_CURRENCY[t[t.length - 1]!] ? t[t.length - 1]! : '';
  if (sym !== '') {
    if (seen && seen.currency === '') seen.currency = SYMBOL_CURRENCY[sym]!;
    t = (t[0] === sym ? t.slice(1) : t.slice(0, -1)).trim();
  }
  if (t.startsWith('-')) {
    neg = !neg;
    t = t.slice(1).trim();
  }
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/,/g, '');
  const d = parseDec(t);
  if (!d || t.startsWith('-')) return null;
  return decText(neg ? { coef: -d.coef, scale: d.scale } : d);
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11,
  december: 12,
};

function utc(y: number, m: number, d: number): number | null {
  const t = Date.UTC(y, m - 1, d);
  const dt = new Date(t);
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return t / 1000;
}

interface ParsedDate {
  secs: number;
  /** The text named a month ("2025-03", "Mar 2025"), not a day. */
  monthOnly: boolean;
  /** The text had no time of day. */
  dateOnly: boolean;
}

/** Dates as seat CSVs write them: ISO, slash (M/D/Y or D/M/Y), "2025-03", "03/2025", "Mar 2025", "15 Mar 2025", "Mar 15, 2025". */
function parseSeatDate(text: string, slash: SlashOrder): ParsedDate | null {
  const t = text.trim();
  if (t === '') return null;
  let m = /^(\d{4})-(\d{1,2})$/.exec(t) ?? /^(\d{4})\/(\d{1,2})$/.exec(t);
  if (m) {
    const s = utc(Number(m[1]), Number(m[2]), 1);
    return s === null ? null : { secs: s, monthOnly: true, dateOnly: true };
  }
  m = /^(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) {
    const s = utc(Number(m[2]), Number(m[1]), 1);
    return s === null ? null : { secs: s, monthOnly: true, dateOnly: true };
  }
  m = /^([A-Za-z]+)\.?,?\s+(\d{4})$/.exec(t);
  if (m) {
    const mo = MONTHS[m[1]!.toLowerCase()];
    const s = mo === undefined ? null : utc(Number(m[2]), mo, 1);
    return s === null ? null : { secs: s, monthOnly: true, dateOnly: true };
  }
  m = /^(\d{1,2})[\s-]([A-Za-z]+)\.?[\s-](\d{4})$/.exec(t) ?? null;
  if (m) {
    const mo = MONTHS[m[2]!.toLowerCase()];
    const s = mo === undefined ? null : utc(Number(m[3]), mo, Number(m[1]));
    return s === null ? null : { secs: s, monthOnly: false, dateOnly: true };
  }
  m = /^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$/.exec(t);
  if (m) {
    const mo = MONTHS[m[1]!.toLowerCase()];
    const s = mo === undefined ? null : utc(Number(m[3]), mo, Number(m[2]));
    return s === null ? null : { secs: s, monthOnly: false, dateOnly: true };
  }
  const s = parseVendorDateTime(t, slash);
  if (s === null) return null;
  return { secs: s, monthOnly: false, dateOnly: !t.includes(':') };
}

/** The same day of the month `n` months later (clamped to the month's last day). */
function addMonths(secs: number, n: number): number {
  const d = new Date(secs * 1000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + n;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), last);
  return Date.UTC(y, m, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) / 1000;
}

/**
 * A period longer than one month from its start by more than this is a multi-month term. Months have 28 to 31 days,
 * so an end written a day or two off (2025-01-31 to 2025-02-28, inclusive) is still one month.
 */
const TERM_SLACK = 3 * 86400;
/** More months than this is a mistyped date, not a licence term (and would emit a row per month). */
const MAX_TERM_MONTHS = 120;

/** A prepaid term split into its months: the Usage rows that carry the purchase's cost month by month. */
interface Term {
  starts: string[];
  ends: string[];
  /** Share of the amount per month: 1 each when the term is whole months, else the month's length in seconds. */
  weights: bigint[];
}

/**
 * The months of a period longer than one month, by anniversary (a term from the 15th runs from the 15th to the
 * 15th), the last one ending with the period; null for a period of one month or less. A tail of up to TERM_SLACK
 * after the last anniversary joins the last month. A period of more than MAX_TERM_MONTHS gives its approximate month
 * count instead, for the error message.
 */
export function termOf(start: number, end: number): Term | null | number {
  if (end - addMonths(start, 1) <= TERM_SLACK) return null;
  const bounds = [start];
  for (let k = 1; ; k++) {
    const next = addMonths(start, k);
    if (next >= end || end - next <= TERM_SLACK) {
      bounds.push(end);
      break;
    }
    if (k >= MAX_TERM_MONTHS) return Math.ceil((end - start) / (30.44 * 86400));
    bounds.push(next);
  }
  const n = bounds.length - 1;
  const whole = end === addMonths(start, n);
  const term: Term = { starts: [], ends: [], weights: [] };
  for (let k = 0; k < n; k++) {
    term.starts.push(focusDateTime(bounds[k]!));
    term.ends.push(focusDateTime(bounds[k + 1]!));
    term.weights.push(whole ? 1n : BigInt(bounds[k + 1]! - bounds[k]!));
  }
  return term;
}

/**
 * `amount` split in proportion to `weights`, each share rounded to 9 decimals (the nano-units the workspace stores)
 * and the last one taking what is left, so the shares add up to the amount exactly.
 */
export function splitAmount(amount: Dec, weights: readonly bigint[]): string[] {
  let total = 0n;
  for (const w of weights) total += w;
  const out: string[] = [];
  let given: Dec = { coef: 0n, scale: 0 };
  for (let k = 0; k < weights.length - 1; k++) {
    const share = decDiv(decMul(amount, { coef: weights[k]!, scale: 0 }), { coef: total, scale: 0 }, 9);
    given = decAdd(given, share);
    out.push(decText(share));
  }
  out.push(decText(decSub(amount, given)));
  return out;
}

/**
 * Exclusive end of a period from its written end. A date-only end is inclusive (add a day: "2025-01-31",
 * "2025-12-31", "2025-02-14" for an anniversary period from the 15th) unless it falls on the start's day of the month
 * ("2025-01-01" → "2025-02-01", "2025-01-15" → "2025-02-15"), which is how exclusive ends are written. An end with a
 * time of day is taken as written.
 */
function exclusiveEnd(start: number, end: ParsedDate): number {
  if (end.monthOnly) return monthBounds(end.secs)[1];
  if (!end.dateOnly) return end.secs;
  const sd = new Date(start * 1000).getUTCDate();
  const ed = new Date(end.secs * 1000).getUTCDate();
  if (end.secs > start && sd === ed) return end.secs;
  return addDays(end.secs, 1);
}

/** Slash order from the sample: day first when some first field exceeds 12. */
function slashOrderOf(rows: readonly (readonly string[])[], cols: number[]): SlashOrder {
  for (const r of rows) {
    for (const i of cols) {
      if (i < 0) continue;
      const m = /(?:^|\s)(\d{1,2})\/(\d{1,2})\/\d{4}/.exec(r[i] ?? '');
      if (m && Number(m[1]) > 12) return 'dmy';
    }
  }
  return 'mdy';
}

// ---------------------------------------------------------------------------------------------------------------
// Service categories for well-known seat products

const CATEGORY_WORDS: readonly (readonly [RegExp, string, string])[] = [
  [/copilot|chatgpt|openai|anthropic|claude|cursor|gemini|\bai\b/i, 'AI and Machine Learning', 'Generative AI'],
  [/github|gitlab|bitbucket|jetbrains|atlassian|jira|confluence|postman|sentry|vercel/i, 'Developer Tools', 'Other (Developer Tools)'],
  [/okta|auth0|onelogin|jumpcloud/i, 'Identity', 'Identity and Access Management'],
  [/1password|lastpass|bitwarden|crowdstrike|sentinelone/i, 'Security', 'Other (Security)'],
  [/datadog|new relic|pagerduty|splunk/i, 'Management and Governance', 'Observability'],
  [/slack|zoom|teams|microsoft 365|office 365|\bm365\b|google workspace|notion|asana|monday|figma|miro|dropbox|\bbox\b|salesforce|hubspot|zendesk|docusign|adobe|linear|loom|trello|airtable|smartsheet|webex/i, 'Business Applications', 'Productivity and Collaboration'],
];

function categoryOf(text: string): [string, string] {
  for (const [re, cat, sub] of CATEGORY_WORDS) if (re.test(text)) return [cat, sub];
  return ['Other', 'Other (Other)'];
}

// ---------------------------------------------------------------------------------------------------------------
// Detection

interface Layout {
  seats: number;
  /** Seats come from a quantity column whose unit says seats. */
  seatsFromQuantity: boolean;
  price: number;
  amount: number;
  invoiceDate: number;
  start: number;
  end: number;
  period: number;
}

function isSeatUnit(v: string): boolean {
  return SEAT_UNIT_WORDS.has(squash(v));
}

function layoutOf(sample: TableSample, h: HeaderInfo): Layout | null {
  let seats = findIn(h, SEAT_NAMES).i;
  let seatsFromQuantity = false;
  if (seats < 0) {
    const q = findIn(h, QUANTITY_NAMES);
    if (q.i >= 0) {
      const hint = h.hints.get(q.key) ?? '';
      if (hint !== '' && isSeatUnit(hint)) seats = q.i;
      else {
        const u = findIn(h, UNIT_NAMES.filter((n) => n !== q.key)).i;
        if (u >= 0) {
          const values = sample.rows.map((r) => r[u] ?? '').filter((v) => v.trim() !== '');
          if (values.length > 0 && values.every(isSeatUnit)) seats = q.i;
        }
      }
      seatsFromQuantity = seats >= 0;
    }
  }
  const price = findIn(h, PRICE_NAMES).i;
  const amount = findIn(h, AMOUNT_NAMES).i;
  const invoiceDate = findIn(h, INVOICE_DATE_NAMES).i;
  const start = findIn(h, START_NAMES).i;
  const end = findIn(h, END_NAMES).i;
  const period = findIn(h, PERIOD_NAMES).i;
  if (seats < 0 || (price < 0 && amount < 0) || (invoiceDate < 0 && start < 0 && period < 0)) return null;
  return { seats, seatsFromQuantity, price, amount, invoiceDate, start, end, period };
}

function detect(sample: TableSample): number {
  const h = headerInfo(sample.header);
  for (const n of FOREIGN_NAMES) if (h.index.has(n)) return 0;
  if (sample.header.length > 40) return 0;
  const l = layoutOf(sample, h);
  if (!l) return 0;
  // the sample must read: seat counts and money are numbers
  let checked = 0;
  let bad = 0;
  for (const r of sample.rows) {
    for (const i of [l.seats, l.price, l.amount]) {
      if (i < 0) continue;
      const v = r[i] ?? '';
      if (v.trim() === '') continue;
      checked++;
      if (readAmount(v) === null) bad++;
    }
  }
  if (bad > 0 && bad * 10 > checked) return 0;
  let score = 0.55;
  if (!l.seatsFromQuantity) score += 0.1;
  if (findIn(h, ASSIGNED_NAMES).i >= 0 || findIn(h, ACTIVE_NAMES).i >= 0) score += 0.1;
  const priceKey = findIn(h, PRICE_NAMES).key;
  if (/seat|licen|user/.test(priceKey)) score += 0.1;
  if (findIn(h, VENDOR_NAMES).i >= 0 || findIn(h, PRODUCT_NAMES).i >= 0 || findIn(h, PLAN_NAMES).i >= 0) score += 0.05;
  if (findIn(h, CURRENCY_NAMES).i >= 0) score += 0.05;
  return Math.max(0, Math.min(score, 0.95));
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping

const COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ChargeClass',
  'ChargeFrequency',
  'ChargeDescription',
  'ServiceProviderName',
  'ProviderName',
  'PublisherName',
  'InvoiceIssuerName',
  'InvoiceId',
  'BillingAccountId',
  'BillingAccountName',
  'SubAccountId',
  'ServiceName',
  'ServiceCategory',
  'ServiceSubcategory',
  'SkuId',
  'SkuMeter',
  'SkuPriceId',
  'SkuPriceDetails',
  'PricingCategory',
  'PricingQuantity',
  'PricingUnit',
  'ListUnitPrice',
  'ContractedUnitPrice',
  'ConsumedQuantity',
  'ConsumedUnit',
  'Tags',
  'x_AssignedSeats',
  'x_ActiveSeats',
  'x_Plan',
  'x_Term',
  'x_CostCenter',
] as const;

type ColumnName = (typeof COLUMNS)[number];
/**
 * Columns emitted only when the file has a source for them (a column of nulls would fail FOCUS nullability).
 * BillingAccountId and BillingAccountName are always there: FOCUS asks for both columns (CostAndUsage-D-024-M,
 * D-005-M) and a value on every row, so a file without an account gets a placeholder (`accountPlaceholder`).
 */
const OPTIONAL_COLUMNS: readonly ColumnName[] = ['InvoiceId', 'SubAccountId'];

/** The placeholder account of a line that names neither an account nor a vendor or issuer. */
const NO_VENDOR_ACCOUNT = 'unknown-vendor-account';

/**
 * The stand-in billing account of a line whose file names no account: `<invoice issuer>-account` ("slack-account",
 * "slack-technologies-llc-account"), the issuer being the vendor unless a reseller bills the line, since the account
 * is held with whoever sends the invoice. It is the same for every file of that issuer, so its files group together
 * and a re-delivered period is still recognised as overlapping (the overlap key is issuer, account and billing period).
 */
export function accountPlaceholder(issuer: string): string {
  const slug = issuer
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? NO_VENDOR_ACCOUNT : `${slug}-account`;
}

interface Period {
  chargeStart: string;
  chargeEnd: string;
  startSecs: number;
  /** The months of a prepaid term longer than one month; null for a period of up to a month. */
  term: Term | null;
}

function createMapper(sample: TableSample): RowMapper {
  const h = headerInfo(sample.header);
  const l = layoutOf(sample, h);
  if (!l) {
    const missing: string[] = [];
    if (findIn(h, SEAT_NAMES).i < 0 && findIn(h, QUANTITY_NAMES).i < 0) missing.push('a seat or licence count (seats, licenses)');
    else if (findIn(h, SEAT_NAMES).i < 0) missing.push('a seat count (the quantity column has no seat unit)');
    if (findIn(h, PRICE_NAMES).i < 0 && findIn(h, AMOUNT_NAMES).i < 0) missing.push('a price per seat or an amount');
    if (findIn(h, INVOICE_DATE_NAMES).i < 0 && findIn(h, START_NAMES).i < 0 && findIn(h, PERIOD_NAMES).i < 0) {
      missing.push('a date or billing period');
    }
    throw new MappingSetupError(`Seat licence CSV lacks ${missing.join(', ')}`);
  }
  const name = (i: number): string => (i < 0 ? '' : (sample.header[i] ?? '').replace(/^\uFEFF/, '').trim());
  const iSeats = l.seats;
  const iPrice = l.price;
  const iAmount = l.amount;
  const iInvoiceDate = l.invoiceDate;
  const iStart = l.start;
  const iEnd = l.end;
  const iPeriod = l.period;
  const iAssigned = findIn(h, ASSIGNED_NAMES).i;
  const iActive = findIn(h, ACTIVE_NAMES).i;
  const iCurrency = findIn(h, CURRENCY_NAMES).i;
  const iVendor = findIn(h, VENDOR_NAMES).i;
  const iIssuer = findIn(h, ISSUER_NAMES).i;
  const iProduct = findIn(h, PRODUCT_NAMES).i;
  const iPlan = findIn(h, PLAN_NAMES).i;
  const iSku = findIn(h, SKU_NAMES).i;
  const iInvoice = findIn(h, INVOICE_NAMES).i;
  const iAccount = findIn(h, ACCOUNT_NAMES).i;
  const iAccountName = findIn(h, ACCOUNT_NAME_NAMES).i;
  const iSubAccount = findIn(h, SUBACCOUNT_NAMES).i;
  const iCostCenter = findIn(h, COST_CENTER_NAMES).i;
  const iDescription = findIn(h, DESCRIPTION_NAMES).i;
  const iTerm = findIn(h, TERM_NAMES).i;

  // currency hint from a header such as "Amount (EUR)" or "Unit Price ($)"
  let headerCurrency = '';
  for (const key of [findIn(h, AMOUNT_NAMES).key, findIn(h, PRICE_NAMES).key]) {
    const hint = h.hints.get(key) ?? '';
    if (/^[a-z]{3}$/.test(hint)) headerCurrency = hint.toUpperCase();
    else if (SYMBOL_CURRENCY[hint]) headerCurrency = SYMBOL_CURRENCY[hint]!;
    if (headerCurrency !== '') break;
  }
  const slash = slashOrderOf(sample.rows, [iInvoiceDate, iStart, iEnd, iPeriod]);

  const nSeats = name(iSeats);
  const nPrice = name(iPrice);
  const nAmount = name(iAmount);
  const nAssigned = name(iAssigned);
  const nActive = name(iActive);
  const nInvoiceDate = name(iInvoiceDate);
  const nStart = name(iStart);
  const nEnd = name(iEnd);
  const nPeriod = name(iPeriod);

  const amountSum = new DecimalSum();
  const categories = new Map<string, [string, string]>();
  const periodCache = new Map<string, Period>();
  const monthCache = new Map<number, [string, string]>();
  let computedRows = 0;
  let defaultCurrencyRows = 0;
  let symbolCurrencyRows = 0;
  let invoiceMonthRows = 0;
  let noVendorRows = 0;
  let noPriceRows = 0;
  let mismatchRows = 0;
  let termRows = 0;
  let firstTermRow = 0;
  let termMonthRows = 0;
  let noAccountRows = 0;
  let firstNoAccountRow = 0;
  let noAccountNameRows = 0;
  let nameAsIdRows = 0;
  /** Placeholder accounts given, in the order first used, for the gap note. */
  const placeholders = new Map<string, string>();
  const seen = { currency: '' };

  const present = new Set<ColumnName>();
  if (iInvoice >= 0) present.add('InvoiceId');
  if (iSubAccount >= 0) present.add('SubAccountId');
  const columns = COLUMNS.filter((c) => !OPTIONAL_COLUMNS.includes(c) || present.has(c));
  const C = Object.fromEntries(COLUMNS.map((c) => [c, columns.indexOf(c)])) as Record<ColumnName, number>;
  const out: string[] = new Array<string>(columns.length).fill('');
  out[C.SkuMeter] = 'Seats';
  out[C.ChargeFrequency] = 'Recurring';
  out[C.PricingCategory] = 'Standard';
  out[C.PricingUnit] = 'Seats';

  const number = (text: string, row: number, column: string): string => {
    if (text === '') return '';
    const v = readAmount(text, seen);
    if (v === null) {
      if (text.trim() === '') return '';
      throw new MappingRowError(row, column, `${column} '${text}' is not a number`);
    }
    return v;
  };
  const month = (secs: number): [string, string] => {
    const [s, e] = monthBounds(secs);
    let m = monthCache.get(s);
    if (m === undefined) {
      m = [focusDateTime(s), focusDateTime(e)];
      monthCache.set(s, m);
    }
    return m;
  };
  const dateCache = new Map<string, ParsedDate>();
  const date = (text: string, row: number, column: string): ParsedDate | null => {
    let d = dateCache.get(text);
    if (d !== undefined) return d;
    if (text.trim() === '') return null;
    const parsed = parseSeatDate(text, slash);
    if (parsed === null) throw new MappingRowError(row, column, `${column} '${text}' is not a date`);
    d = parsed;
    if (dateCache.size >= 4096) dateCache.clear();
    dateCache.set(text, d);
    return d;
  };
  const periodOf = (cells: readonly string[], row: number): Period | null => {
    const startText = cell(cells, iStart);
    const endText = cell(cells, iEnd);
    const periodText = cell(cells, iPeriod);
    const key = `${startText}\u0000${endText}\u0000${periodText}`;
    const cached = periodCache.get(key);
    if (cached !== undefined) return cached;
    let start: number | null = null;
    let end: number | null = null;
    const s = date(startText, row, nStart);
    if (s !== null) {
      start = s.secs;
      const e = date(endText, row, nEnd);
      end = e !== null ? exclusiveEnd(start, e) : s.monthOnly ? monthBounds(start)[1] : addMonths(start, 1);
    } else if (periodText.trim() !== '') {
      const parts = periodText.trim().split(/\s+(?:-|–|—|to|through|until)\s+|\s*[–—]\s*/i);
      if (parts.length === 2) {
        const a = date(parts[0]!, row, nPeriod);
        const b = date(parts[1]!, row, nPeriod);
        if (a === null || b === null) throw new MappingRowError(row, nPeriod, `${nPeriod} '${periodText}' is not a period`);
        start = a.secs;
        end = exclusiveEnd(start, b);
      } else {
        const a = date(periodText, row, nPeriod);
        if (a === null) throw new MappingRowError(row, nPeriod, `${nPeriod} '${periodText}' is not a period`);
        start = a.secs;
        end = a.monthOnly || new Date(start * 1000).getUTCDate() === 1 ? monthBounds(start)[1] : addMonths(start, 1);
      }
    } else return null;
    if (end <= start) throw new MappingRowError(row, nEnd || nPeriod, `the period ends (${endText || periodText}) before it starts`);
    const term = termOf(start, end);
    if (typeof term === 'number') {
      throw new MappingRowError(
        row,
        nEnd || nPeriod,
        `the period ${focusDateTime(start).slice(0, 10)} to ${focusDateTime(end).slice(0, 10)} spans about ${term} months, more than ` +
          `${MAX_TERM_MONTHS / 12} years: check the period end (${endText || periodText})`,
      );
    }
    const p: Period = { chargeStart: focusDateTime(start), chargeEnd: focusDateTime(end), startSecs: start, term };
    if (periodCache.size >= 4096) periodCache.clear();
    periodCache.set(key, p);
    return p;
  };

  const rowCount = (n: number): string => (n === 1 ? '1 row has' : `${n} rows have`);
  const accountGaps = (): MappingGap[] => {
    const g: MappingGap[] = [];
    const nAccount = name(iAccount);
    const nAccountName = name(iAccountName);
    if (noAccountRows > 0) {
      const used = [...new Set(placeholders.values())].slice(0, 5).map((p) => `"${p}"`).join(', ');
      const empty = [nAccount, nAccountName].filter((n) => n !== '').join(', ');
      const where =
        iAccount < 0 && iAccountName < 0
          ? 'The file names no billing account (no account, customer or tenant column)'
          : `${noAccountRows} row${noAccountRows === 1 ? '' : 's'} (first: row ${firstNoAccountRow}) name no account (${empty} empty)`;
      g.push({
        column: 'BillingAccountId',
        note:
          `${where}: BillingAccountId and BillingAccountName are a placeholder named after the invoice issuer, ` +
          `"<issuer>-account" (here ${used}; "${NO_VENDOR_ACCOUNT}" when the line names no vendor), not an id the ` +
          'vendor issued, because FOCUS requires a billing account on every row. Every seat file of an issuer without ' +
          'an account gets the same placeholder, so two accounts with one vendor cannot be told apart by it. An ' +
          'account or customer id column in the file carries the real one.',
      });
    }
    if (nameAsIdRows > 0) {
      g.push({
        column: 'BillingAccountId',
        note: `${rowCount(nameAsIdRows)} an empty ${nAccount} and a value in ${nAccountName}: BillingAccountId is that name there.`,
      });
    }
    if (iAccount >= 0 && iAccountName < 0) {
      g.push({ column: 'BillingAccountName', note: `The file has no account name column: BillingAccountName repeats BillingAccountId (${nAccount}).` });
    } else if (iAccount < 0 && iAccountName >= 0) {
      g.push({ column: 'BillingAccountId', note: `The file has no account id column: BillingAccountId is the account name (${nAccountName}).` });
    } else if (noAccountNameRows > 0) {
      g.push({
        column: 'BillingAccountName',
        note: `${rowCount(noAccountNameRows)} an account id but no ${nAccountName}: BillingAccountName repeats the id.`,
      });
    }
    return g;
  };

  return {
    columns,
    map(cells: readonly string[], rowNo: number, emit: EmitRow): void {
      seen.currency = '';
      const seats = number(cell(cells, iSeats), rowNo, nSeats);
      const price = number(cell(cells, iPrice), rowNo, nPrice);
      const amountText = cell(cells, iAmount);
      const amount = number(amountText, rowNo, nAmount);
      if (amount !== '') amountSum.add(amount);

      // money: BilledCost = amount; seats × price when there is no amount
      let listDec: Dec | null = null;
      let listCost = '';
      if (price !== '' && seats !== '') {
        listDec = decMul(parseDec(seats)!, parseDec(price)!);
        listCost = decText(listDec);
      }
      let billed = amount;
      if (billed === '') {
        if (listCost === '') {
          throw new MappingRowError(
            rowNo,
            iAmount >= 0 ? nAmount : nPrice,
            iAmount >= 0 ? `${nAmount} is empty and there is no seats × price to take instead` : `${nPrice} or ${nSeats} is empty`,
          );
        }
        billed = listCost;
        computedRows++;
      }
      if (listCost === '') {
        listCost = billed;
        noPriceRows++;
      } else if (amount !== '' && listDec !== null && listCost !== amount && decCmp(listDec, parseDec(amount)!) !== 0) {
        mismatchRows++;
      }

      // dates
      const invoice = date(cell(cells, iInvoiceDate), rowNo, nInvoiceDate);
      let period = periodOf(cells, rowNo);
      if (period === null) {
        if (invoice === null) {
          throw new MappingRowError(rowNo, nStart || nPeriod || nInvoiceDate, 'the row has neither a period nor an invoice date');
        }
        const [s, e] = month(invoice.secs);
        period = { chargeStart: s, chargeEnd: e, startSecs: invoice.secs, term: null };
        invoiceMonthRows++;
      }
      const [bs, be] = month(invoice !== null ? invoice.secs : period.startSecs);

      // currency
      let currency = cell(cells, iCurrency).trim().toUpperCase();
      if (currency === '') {
        if (headerCurrency !== '') currency = headerCurrency;
        else if (seen.currency !== '') {
          currency = seen.currency;
          symbolCurrencyRows++;
        } else {
          currency = 'USD';
          defaultCurrencyRows++;
        }
      }

      const vendor = cell(cells, iVendor).trim();
      const product = cell(cells, iProduct).trim();
      const plan = cell(cells, iPlan).trim();
      if (vendor === '') noVendorRows++;
      const catKey = `${vendor}\u0000${product}\u0000${plan}`;
      let cat = categories.get(catKey);
      if (cat === undefined) {
        cat = categoryOf(`${vendor} ${product} ${plan}`);
        if (categories.size >= 4096) categories.clear();
        categories.set(catKey, cat);
      }
      const costCenter = cell(cells, iCostCenter);
      const issuer = cell(cells, iIssuer).trim();
      const description = cell(cells, iDescription);

      out[C.BilledCost] = billed;
      out[C.ListCost] = listCost;
      out[C.ContractedCost] = listCost;
      out[C.BillingCurrency] = currency;
      out[C.BillingPeriodStart] = bs;
      out[C.BillingPeriodEnd] = be;
      out[C.ChargePeriodStart] = period.chargeStart;
      out[C.ChargePeriodEnd] = period.chargeEnd;
      const chargeDescription = description !== '' ? description : product !== '' && plan !== '' ? `${product} ${plan}` : product || plan;
      out[C.ChargeDescription] = chargeDescription;
      out[C.ServiceProviderName] = vendor;
      out[C.ProviderName] = vendor;
      out[C.PublisherName] = vendor;
      const payee = issuer !== '' ? issuer : vendor;
      out[C.InvoiceIssuerName] = payee;
      if (C.InvoiceId >= 0) out[C.InvoiceId] = cell(cells, iInvoice);
      // the file's account id, else its account name, else the issuer's placeholder (FOCUS wants one on every row)
      const accountId = cell(cells, iAccount).trim();
      const accountName = cell(cells, iAccountName).trim();
      let account = accountId !== '' ? accountId : accountName;
      if (accountId === '' && account !== '' && iAccount >= 0) nameAsIdRows++;
      if (account === '') {
        let placeholder = placeholders.get(payee);
        if (placeholder === undefined) {
          placeholder = accountPlaceholder(payee);
          if (placeholders.size < 4096) placeholders.set(payee, placeholder);
        }
        account = placeholder;
        if (noAccountRows++ === 0) firstNoAccountRow = rowNo;
      } else if (accountName === '' && iAccountName >= 0) noAccountNameRows++;
      out[C.BillingAccountId] = account;
      out[C.BillingAccountName] = accountName !== '' ? accountName : account;
      if (C.SubAccountId >= 0) out[C.SubAccountId] = cell(cells, iSubAccount);
      out[C.ServiceName] = product !== '' ? product : plan !== '' ? plan : vendor;
      out[C.ServiceCategory] = cat[0];
      out[C.ServiceSubcategory] = cat[1];
      const skuId = iSku >= 0 ? cell(cells, iSku) : plan;
      out[C.SkuId] = skuId;
      out[C.SkuPriceId] = skuId;
      out[C.PricingQuantity] = seats;
      out[C.PricingUnit] = seats === '' ? '' : 'Seats';
      out[C.ListUnitPrice] = price;
      out[C.ContractedUnitPrice] = price;
      out[C.Tags] = costCenter === '' ? '' : `{"cost_center":${JSON.stringify(costCenter)}}`;
      out[C.x_AssignedSeats] = number(cell(cells, iAssigned), rowNo, nAssigned);
      out[C.x_ActiveSeats] = number(cell(cells, iActive), rowNo, nActive);
      out[C.x_Plan] = plan;
      out[C.x_Term] = cell(cells, iTerm);
      out[C.x_CostCenter] = costCenter;

      const term = period.term;
      if (term === null) {
        // seats for (at most) the month billed: consumed in that period, nothing to amortize
        out[C.ChargeCategory] = 'Usage';
        out[C.EffectiveCost] = billed;
        out[C.ConsumedQuantity] = seats;
        out[C.ConsumedUnit] = seats === '' ? '' : 'Seats';
        emit(out);
        return;
      }

      // a prepaid term: the purchase, then its cost month by month
      if (termRows++ === 0) firstTermRow = rowNo;
      out[C.ChargeCategory] = 'Purchase';
      out[C.EffectiveCost] = '0';
      out[C.ConsumedQuantity] = '';
      out[C.ConsumedUnit] = '';
      emit(out);
      const shares = splitAmount(parseDec(billed)!, term.weights);
      const n = shares.length;
      out[C.ChargeCategory] = 'Usage';
      out[C.BilledCost] = '0';
      // list and contracted cost stay on the purchase only, so each is counted once; the unit prices follow (0 × seats)
      out[C.ListCost] = '0';
      out[C.ContractedCost] = '0';
      out[C.ListUnitPrice] = '0';
      out[C.ContractedUnitPrice] = '0';
      out[C.SkuPriceId] = skuId === '' ? '' : `${skuId}/amortized`;
      out[C.ConsumedQuantity] = seats;
      out[C.ConsumedUnit] = seats === '' ? '' : 'Seats';
      for (let k = 0; k < n; k++) {
        out[C.ChargePeriodStart] = term.starts[k]!;
        out[C.ChargePeriodEnd] = term.ends[k]!;
        out[C.EffectiveCost] = shares[k]!;
        out[C.ChargeDescription] = `${chargeDescription} (amortized, month ${k + 1} of ${n})`;
        termMonthRows++;
        emit(out);
      }
    },
    gaps(): MappingGap[] {
      const g: MappingGap[] = [
        {
          column: 'ChargeCategory',
          note:
            'A seat line for a period of up to one month is a Usage / Recurring row (the seats are used in the period ' +
            'they are billed for, as in FOCUS\'s seat examples): BilledCost = EffectiveCost = the amount, ' +
            'ConsumedQuantity = PricingQuantity = the seats paid for (unit "Seats"). Assigned and active seats are ' +
            'x_AssignedSeats and x_ActiveSeats (utilisation).',
        },
        {
          column: 'ListUnitPrice',
          note:
            "The file's price per seat is both ListUnitPrice and ContractedUnitPrice (the public list price is not in " +
            'the file); ListCost = ContractedCost = seats × price per seat.',
        },
      ];
      if (termRows > 0) {
        g.push({
          column: 'EffectiveCost',
          note:
            `${termRows} row${termRows === 1 ? ' (row' : 's (first: row'} ${firstTermRow}) prepay${termRows === 1 ? 's' : ''} a term longer than a month: ` +
            'each is a Purchase (BilledCost = the amount, EffectiveCost 0, as FOCUS asks of a purchase covering later ' +
            `charges) followed by ${termMonthRows} Usage row${termMonthRows === 1 ? '' : 's'} in all, one per month of ` +
            'the term (anniversary months), with BilledCost 0 and EffectiveCost = that month\'s share of the amount ' +
            '(equal shares for whole months, by length otherwise; rounded to 9 decimals, the last month takes the ' +
            'remainder, so they add up to the amount exactly). These rows keep the purchase\'s BillingPeriod (the invoice ' +
            'they come from); their ListCost, ContractedCost and unit prices are 0 so that list and contracted cost are ' +
            'counted once, on the purchase; their SkuPriceId is the SKU with "/amortized".',
        });
      }
      g.push(...accountGaps());
      if (mismatchRows > 0) {
        g.push({
          column: 'BilledCost',
          note: `${mismatchRows} rows bill an amount other than seats × price per seat (proration, discount or tax): BilledCost is the amount as written.`,
        });
      }
      if (computedRows > 0) {
        g.push({
          column: 'BilledCost',
          note: `${computedRows} rows have no amount: BilledCost = seats × price per seat, exact (not reconciled against an invoice total).`,
        });
      }
      if (noPriceRows > 0) {
        g.push({ column: 'ListCost', note: `${noPriceRows} rows have no price per seat: ListCost = ContractedCost = the amount; unit prices are null.` });
      }
      if (invoiceMonthRows > 0) {
        g.push({
          column: 'ChargePeriodStart',
          note: `${invoiceMonthRows} rows have no service period: ChargePeriod is the calendar month of the invoice date.`,
        });
      }
      g.push({
        column: 'BillingPeriodStart',
        note:
          iInvoiceDate >= 0
            ? 'BillingPeriod is the calendar month of the invoice date.'
            : 'The file has no invoice date: BillingPeriod is the calendar month in which the service period starts.',
      });
      if (iStart >= 0 || iPeriod >= 0) {
        g.push({
          column: 'ChargePeriodEnd',
          note:
            'Period ends written as dates are taken as inclusive (one day added) unless the end falls on the same day ' +
            'of the month as the start (2025-01-01 → 2025-02-01 is already exclusive).',
        });
      }
      if (noVendorRows > 0) {
        g.push({
          column: 'ServiceProviderName',
          note: `unknown vendor: ${noVendorRows} rows name no vendor, so ServiceProviderName, InvoiceIssuerName and PublisherName are empty.`,
        });
      }
      if (defaultCurrencyRows > 0) {
        g.push({ column: 'BillingCurrency', note: `${defaultCurrencyRows} rows name no currency: taken as USD.` });
      }
      if (symbolCurrencyRows > 0) {
        g.push({ column: 'BillingCurrency', note: `${symbolCurrencyRows} rows have no currency column value: the currency is read from the amount's symbol or code ($ = USD).` });
      }
      if (iAmount < 0) {
        g.push({ column: 'BilledCost', note: 'The file has no amount column: BilledCost = seats × price per seat on every row.' });
      }
      return g;
    },
    vendorTotals(): VendorTotal[] {
      if (iAmount < 0) return [];
      const total = amountSum.toString();
      return [
        { focusColumn: 'BilledCost', vendorColumn: nAmount, vendorTotal: total },
        { focusColumn: 'EffectiveCost', vendorColumn: nAmount, vendorTotal: total },
      ];
    },
  };
}

export const saasSeats: BillFormat = {
  id: 'saas-seats',
  label: 'Per-seat SaaS licences (generic CSV)',
  detect,
  createMapper,
};
