// FOCUS date/time text → Unix seconds (UTC). Accepts the FOCUS format (2024-09-01T00:00:00Z) and what real exports
// write instead: a space for T, no zone (read as UTC), no seconds (OCI: 2023-11-13T10:00Z), fractional seconds,
// an explicit offset, a date alone, and US M/D/YY[YY] dates (the FOCUS spec's SaaS examples).

const DAY = 86400;

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function num(s: string, i: number, len: number): number {
  let v = 0;
  for (let k = 0; k < len; k++) {
    const d = digit(s, i + k);
    if (d < 0) return -1;
    v = v * 10 + d;
  }
  return v;
}

export function daysFromCivil(y: number, m: number, d: number): number {
  // Howard Hinnant's algorithm: exact proleptic Gregorian day count since 1970-01-01.
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= dim[m - 1]!;
}

/** Returns Unix seconds, or null when the text is not a date/time we can read unambiguously. */
export function parseFocusDateTime(text: string): number | null {
  const s = text.length > 0 && (text.charCodeAt(0) === 32 || text.charCodeAt(text.length - 1) === 32) ? text.trim() : text;
  const n = s.length;
  if (n >= 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    const y = num(s, 0, 4);
    const m = num(s, 5, 2);
    const d = num(s, 8, 2);
    if (y < 0 || m < 0 || d < 0 || !validDate(y, m, d)) return null;
    let secs = daysFromCivil(y, m, d) * DAY;
    if (n === 10) return secs;
    const sep = s.charCodeAt(10);
    if (sep !== 84 /* T */ && sep !== 32 && sep !== 116 /* t */) return null;
    const hh = num(s, 11, 2);
    const mm = num(s, 14, 2);
    if (hh < 0 || mm < 0 || s.charCodeAt(13) !== 58 || hh > 24 || mm > 59) return null;
    secs += hh * 3600 + mm * 60;
    let i = 16;
    if (i < n && s.charCodeAt(i) === 58) {
      const ss = num(s, 17, 2);
      if (ss < 0 || ss > 60) return null;
      secs += ss;
      i = 19;
      if (i < n && s.charCodeAt(i) === 46) {
        i++;
        while (i < n && digit(s, i) >= 0) i++;
      }
    }
    if (i === n) return secs;
    const z = s.charCodeAt(i);
    if ((z === 90 || z === 122) && i + 1 === n) return secs;
    if (z === 43 || z === 45) {
      // +HH:MM / +HHMM / +HH
      const oh = num(s, i + 1, 2);
      if (oh < 0) return null;
      let om = 0;
      let j = i + 3;
      if (j < n && s.charCodeAt(j) === 58) j++;
      if (j < n) {
        om = num(s, j, 2);
        if (om < 0) return null;
        j += 2;
      }
      if (j !== n) return null;
      const off = (oh * 3600 + om * 60) * (z === 43 ? 1 : -1);
      return secs - off;
    }
    if (s.slice(i).trim() === 'UTC' || s.slice(i).trim() === '+00:00') return secs;
    return null;
  }
  // US style M/D/YY or M/D/YYYY, optional time
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (us) {
    const m = Number(us[1]);
    const d = Number(us[2]);
    let y = Number(us[3]);
    if (us[3]!.length === 2) y += 2000;
    if (!validDate(y, m, d)) return null;
    let secs = daysFromCivil(y, m, d) * DAY;
    if (us[4] !== undefined) secs += Number(us[4]) * 3600 + Number(us[5]) * 60 + Number(us[6] ?? 0);
    return secs;
  }
  return null;
}

export function dayOf(secs: number): number {
  return Math.floor(secs / DAY);
}

export function isoDay(day: number): string {
  return new Date(day * DAY * 1000).toISOString().slice(0, 10);
}

export function isoDateTime(secs: number): string {
  return new Date(secs * 1000).toISOString().replace('.000Z', 'Z');
}

export function dayFromIso(text: string): number {
  const v = parseFocusDateTime(text);
  if (v === null) throw new Error(`'${text}' is not a date`);
  return dayOf(v);
}

/** Month number (year*12 + month-1) of a day number. */
export function monthOfDay(day: number): number {
  const d = new Date(day * DAY * 1000);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

export function isoMonth(month: number): string {
  const y = Math.floor(month / 12);
  const m = (month % 12) + 1;
  return `${y}-${String(m).padStart(2, '0')}`;
}

export function firstDayOfMonth(month: number): number {
  return daysFromCivil(Math.floor(month / 12), (month % 12) + 1, 1);
}
