/** Number and time formatting shared by every view: one place decides how a loss or an ETA reads. */

const DASH = '—';

/** "42s", "1m 23s", "2h 05m". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return DASH;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  const m = Math.floor(s / 60);
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Seconds with precision that fits their size: "0.84 s", "12.3 s", "1m 23s". */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return DASH;
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return formatDuration(seconds);
}

/**
 * A measured value to `digits` significant digits (in scientific notation too: 8.697e-4 at 4, so
 * two values that differ in the fourth digit read differently); tiny or huge values in scientific
 * notation. Locale-independent: toPrecision and toExponential always write '.' and no grouping.
 */
export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value == null || Number.isNaN(value)) return DASH;
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e6) return value.toExponential(Math.max(0, digits - 1)).replace('e+', 'e');
  return Number(value.toPrecision(digits)).toString();
}

/** Significant digits of a metric in a table: enough to tell 8.697e-4 from 8.685e-4. */
export const METRIC_DIGITS = 4;

/**
 * An estimate with its standard error, "8.697e-4 ± 2.1e-4": the value to `digits` significant
 * digits, the error to two (its own uncertainty makes more meaningless); the value alone when the
 * error is unknown.
 */
export function formatEstimate(value: number | null | undefined, standardError?: number | null, digits = METRIC_DIGITS): string {
  const shown = formatNumber(value, digits);
  return standardError == null || !Number.isFinite(standardError) || shown === DASH ? shown : `${shown} ± ${formatNumber(standardError, 2)}`;
}

/** A whole count with thousands separators. */
export function formatInt(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return DASH;
  return Math.round(value).toLocaleString('en-US');
}

/** A fraction as a percentage: 0.4213 → "42.1%". */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value == null || !Number.isFinite(value)) return DASH;
  return `${(value * 100).toFixed(digits)}%`;
}

/** Axis ticks: short, and powers of ten read as such on a log axis. */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-2 || abs >= 1e5) {
    const exp = Math.log10(abs);
    if (Number.isInteger(Math.round(exp * 1e6) / 1e6)) return `1e${Math.round(exp)}`;
    return value.toExponential(1).replace('e+', 'e');
  }
  return Number(value.toPrecision(3)).toString();
}

/** A clock time from Unix seconds, to the second: "14:03:27". */
export function formatClock(unixSeconds: number): string {
  if (!Number.isFinite(unixSeconds)) return DASH;
  return new Date(unixSeconds * 1000).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "14:03" today, "Nov 21, 14:03" otherwise. */
export function formatTimestamp(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (d.toDateString() === now.toDateString()) return time;
  return `${d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}, ${time}`;
}
