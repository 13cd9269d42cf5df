// How times, durations and statuses read on the page.

/** 950 → "950 ms", 12_300 → "12.3 s", 754_000 → "12 m 34 s", 7_380_000 → "2 h 3 m". */
export function formatDuration(ms) {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} m ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} m`;
}

/** Local date and time, to the second. */
export function formatTime(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

export function durationBetween(startIso, endIso) {
  if (!startIso) return undefined;
  return (endIso ? Date.parse(endIso) : Date.now()) - Date.parse(startIso);
}

/** Cuts text to `max` characters with an ellipsis. */
export function truncate(text, max) {
  const value = String(text ?? '');
  return value.length <= max ? value : `${value.slice(0, Math.max(1, max - 1))}…`;
}

/** An attempt's error as one line: "crashed: the agent command exited with 3". */
export function attemptError(attempt) {
  const { error, errorKind } = attempt;
  if (!error) return '';
  if (typeof error === 'string') return errorKind ? `${errorKind}: ${error}` : error;
  return `${error.kind}: ${error.message}`;
}
