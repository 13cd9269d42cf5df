import { describe, expect, it } from 'vitest';
import { DEFAULT_POSTHOG_HOST, resolvePostHogConfig } from './resolve-posthog-config.js';

describe('resolvePostHogConfig', () => {
  it('sends only when a key is set, to the default host unless overridden', () => {
    expect(resolvePostHogConfig({})).toEqual({ send: false, reason: 'no-key' });
    expect(resolvePostHogConfig({ DROVER_POSTHOG_KEY: '  ' })).toEqual({ send: false, reason: 'no-key' });
    expect(resolvePostHogConfig({ DROVER_POSTHOG_KEY: 'phc_x' })).toEqual({ send: true, apiKey: 'phc_x', host: DEFAULT_POSTHOG_HOST });
    expect(resolvePostHogConfig({ DROVER_POSTHOG_KEY: 'phc_x', DROVER_POSTHOG_HOST: 'https://eu.i.posthog.com/' })).toMatchObject({ host: 'https://eu.i.posthog.com' });
  });

  it.each(['1', 'true', 'TRUE', 'yes'])('DO_NOT_TRACK=%s wins over a key', (value) => {
    expect(resolvePostHogConfig({ DROVER_POSTHOG_KEY: 'phc_x', DO_NOT_TRACK: value })).toEqual({ send: false, reason: 'do-not-track' });
  });

  it.each(['', '0', 'false'])('DO_NOT_TRACK=%j does not opt out', (value) => {
    expect(resolvePostHogConfig({ DROVER_POSTHOG_KEY: 'phc_x', DO_NOT_TRACK: value })).toMatchObject({ send: true });
  });

  it('--no-telemetry wins over everything', () => {
    expect(resolvePostHogConfig({ DROVER_POSTHOG_KEY: 'phc_x' }, true)).toEqual({ send: false, reason: 'no-telemetry' });
  });
});
