export const DEFAULT_POSTHOG_HOST = 'https://us.i.posthog.com';

/** Whether telemetry goes to PostHog, and if not, why. */
export type PostHogConfig =
  | { readonly send: true; readonly apiKey: string; readonly host: string }
  | { readonly send: false; readonly reason: 'no-telemetry' | 'do-not-track' | 'no-key' };

/**
 * Sending is opt-in (a key must be set) and every opt-out wins over it: `--no-telemetry`, or
 * `DO_NOT_TRACK` set to anything but empty, `0` or `false` (the consoledonottrack.com
 * convention, read generously: a user who set it meant it).
 */
export function resolvePostHogConfig(env: NodeJS.ProcessEnv, noTelemetry = false): PostHogConfig {
  if (noTelemetry) return { send: false, reason: 'no-telemetry' };
  if (isSet(env['DO_NOT_TRACK'])) return { send: false, reason: 'do-not-track' };
  const apiKey = env['DROVER_POSTHOG_KEY']?.trim() ?? '';
  if (apiKey === '') return { send: false, reason: 'no-key' };
  const host = env['DROVER_POSTHOG_HOST']?.trim() || DEFAULT_POSTHOG_HOST;
  return { send: true, apiKey, host: host.replace(/\/+$/, '') };
}

function isSet(value: string | undefined): boolean {
  if (value === undefined) return false;
  const normalized = value.trim().toLowerCase();
  return normalized !== '' && normalized !== '0' && normalized !== 'false';
}
