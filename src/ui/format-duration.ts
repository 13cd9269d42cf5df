/**
 * A duration the way a person reads it at a glance: `40ms`, `12.3s`, `1m 05s`, `2h 03m`.
 * Milliseconds below a second and tenths below a minute, so a stream of short tasks still
 * shows real numbers rather than a column of `0.0s`.
 */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, Number.isFinite(ms) ? ms : 0);
  if (safe < 1000) return `${Math.floor(safe)}ms`;
  if (safe < 60_000) return `${(Math.floor(safe / 100) / 10).toFixed(1)}s`;
  const totalSeconds = Math.floor(safe / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}
