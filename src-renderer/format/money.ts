// Money and number formatting. Pure; formatters are cached per (locale, currency, style).

const cache = new Map<string, Intl.NumberFormat>();

function formatter(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

/** Validity per code: building an Intl.NumberFormat to find out costs ~50 µs, and a pivot formats thousands of cells. */
const validCodes = new Map<string, boolean>();

function isCurrencyCode(code: string | null | undefined): code is string {
  if (!code) return false;
  let ok = validCodes.get(code);
  if (ok === undefined) {
    ok = /^[A-Za-z]{3}$/.test(code);
    if (ok) {
      try {
        new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
      } catch {
        ok = false;
      }
    }
    validCodes.set(code, ok);
  }
  return ok;
}

/** An amount with its currency and exactly two decimals, e.g. "$1,234.56" or "1.234,56 €". */
export function formatMoney(amount: number, currency: string | null | undefined, locale?: string): string {
  if (!Number.isFinite(amount)) return '—';
  if (isCurrencyCode(currency)) {
    const code = currency.toUpperCase();
    return formatter(`m|${locale ?? ''}|${code}`, () =>
      new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: code,
        currencyDisplay: 'narrowSymbol',
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      }),
    ).format(normalizeZero(amount));
  }
  const n = formatter(`n2|${locale ?? ''}`, () =>
    new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  ).format(normalizeZero(amount));
  return currency ? `${n} ${currency}` : n;
}

/** Short axis labels: "$1.2K", "$3.4M". */
export function formatMoneyCompact(amount: number, currency: string | null | undefined, locale?: string): string {
  if (!Number.isFinite(amount)) return '—';
  if (isCurrencyCode(currency)) {
    const code = currency.toUpperCase();
    return formatter(`mc|${locale ?? ''}|${code}`, () =>
      new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: code,
        currencyDisplay: 'narrowSymbol',
        notation: 'compact',
        minimumFractionDigits: 0,
        maximumFractionDigits: 1,
      }),
    ).format(normalizeZero(amount));
  }
  return formatter(`nc|${locale ?? ''}`, () =>
    new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }),
  ).format(normalizeZero(amount));
}

/** Whole numbers with grouping: "1,234,567". */
export function formatInteger(n: number, locale?: string): string {
  if (!Number.isFinite(n)) return '—';
  return formatter(`i|${locale ?? ''}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })).format(n);
}

/** A plain number as exact as the engine gave it, with grouping: "1,234.000125". */
export function formatDecimal(n: number, locale?: string): string {
  if (!Number.isFinite(n)) return String(n);
  return formatter(`d|${locale ?? ''}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 10 })).format(n);
}

/** A ratio as a percentage: 0.1234 → "12.3%". Null/NaN/∞ → "—". */
export function formatPercent(ratio: number | null, digits = 1, locale?: string): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  return formatter(`p${digits}|${locale ?? ''}`, () =>
    new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }),
  ).format(normalizeZero(ratio));
}

/** Share of `part` in `whole` (by absolute values), or null when the whole is zero. */
export function share(part: number, whole: number): number | null {
  if (!whole) return null;
  return part / whole;
}

/** Effective savings rate: savings ÷ list cost, or null when there is no list cost. */
export function savingsRate(savings: number, list: number): number | null {
  if (!list) return null;
  return savings / list;
}

function normalizeZero(n: number): number {
  // Avoid "-$0.00" for tiny negative rounding residue.
  return Math.abs(n) < 0.005 ? 0 : n;
}
