// Bytes, durations and rates for progress displays. Pure.
import { formatInteger } from './money';

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1536 → "1.5 KB" (powers of 1024). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i === 0 ? 0 : v < 10 ? 1 : 0;
  return `${v.toFixed(digits)} ${BYTE_UNITS[i]}`;
}

/** Seconds → "45 s", "3 min 05 s", "1 h 02 min". Null → "—". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, '0')} min`;
}

/** 12345.6 → "12,346 rows/s". */
export function formatRate(rowsPerSec: number): string {
  if (!Number.isFinite(rowsPerSec) || rowsPerSec < 0) return '—';
  return `${formatInteger(Math.round(rowsPerSec))} rows/s`;
}

/** bytes / totalBytes clamped to [0, 1], or null when the total is unknown. */
export function progressFraction(done: number, total: number): number | null {
  if (!Number.isFinite(total) || total <= 0) return null;
  return Math.min(1, Math.max(0, done / total));
}
