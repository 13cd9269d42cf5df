import type { PostHog, PostHogOptions } from 'posthog-node';
import type { TelemetryEvent } from './telemetry-events.js';

export interface PostHogSinkOptions {
  readonly apiKey: string;
  /** e.g. `https://us.i.posthog.com`, without a trailing slash. */
  readonly host: string;
  /** Events buffered before a batch is sent (default 20). */
  readonly flushAt?: number;
  /** Longest time an event waits in the buffer (default 10000 ms). */
  readonly flushIntervalMs?: number;
  /** Longest time one batch request may take (default 5000 ms). */
  readonly requestTimeoutMs?: number;
  /** Longest time `close()` waits for the last batches (default 2000 ms). */
  readonly shutdownTimeoutMs?: number;
  /** Used for `capture`d events that carry no `distinct_id`. */
  readonly fallbackDistinctId?: string;
  /** Told at most once, in one line, at close, when events could not be delivered. */
  readonly warn?: (line: string) => void;
}

export interface PostHogSink {
  /** Queues one event; returns at once. */
  capture(event: TelemetryEvent): void;
  /** Sends what is queued, waiting at most `shutdownTimeoutMs`, then drops the rest. */
  close(): Promise<void>;
}

type PostHogFetch = NonNullable<PostHogOptions['fetch']>;
type PostHogFetchResponse = Awaited<ReturnType<PostHogFetch>>;
// posthog-node's body types (string, Blob, bytes) are all ones fetch takes; only the declarations differ.
type FetchBody = NonNullable<NonNullable<Parameters<typeof fetch>[1]>['body']>;

/**
 * Sends telemetry events to PostHog through `posthog-node`, which batches them in the
 * background: the run never awaits a request.
 *
 * Telemetry must neither slow nor clutter a run, so requests go through `quietFetch`: it
 * enforces the request timeout itself and turns every failure (refused connection, timeout,
 * HTTP error) into an accepted response, after noting it. posthog-node therefore never
 * retries (a retry would outlive the shutdown bound) and never prints its multi-line flush
 * errors; the user sees one line at close. A lost batch is acceptable: `events.jsonl` keeps
 * every event locally.
 *
 * posthog-node is imported only when this sink is created, so a run with telemetry off never
 * loads it.
 */
export function createPostHogSink(options: PostHogSinkOptions): PostHogSink {
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 2000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 5000;
  const warn = options.warn ?? ((line: string) => console.error(line));
  const stop = new AbortController();
  let problem: string | undefined;
  let closing: Promise<void> | undefined;

  const quietFetch: PostHogFetch = async (url, init) => {
    if (stop.signal.aborted) return accepted();
    const signals = [stop.signal, AbortSignal.timeout(requestTimeoutMs), ...(init.signal === undefined ? [] : [init.signal])];
    try {
      const response = await fetch(url, { method: init.method, headers: init.headers, ...(init.body === undefined ? {} : { body: init.body as FetchBody }), signal: AbortSignal.any(signals) });
      if (response.ok) return response;
      problem ??= `HTTP ${response.status}`;
      await response.body?.cancel().catch(() => undefined);
    } catch (error) {
      if (!stop.signal.aborted) problem ??= describeFailure(error, requestTimeoutMs);
    }
    return accepted();
  };

  const client: Promise<PostHog | undefined> = import('posthog-node').then(
    ({ PostHog }) =>
      new PostHog(options.apiKey, {
        host: options.host,
        flushAt: options.flushAt ?? 20,
        flushInterval: options.flushIntervalMs ?? 10_000,
        fetch: quietFetch,
        fetchRetryCount: 0,
        // Above our own request timeout, so posthog-node's never fires (it would log loudly).
        requestTimeout: requestTimeoutMs + 60_000,
        disableGeoip: true,
      }),
    (error: unknown) => {
      problem ??= `posthog-node could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
      return undefined;
    },
  );

  return {
    capture(event) {
      if (closing !== undefined) return;
      void client
        .then((posthog) =>
          posthog?.capture({
            distinctId: event.distinct_id ?? options.fallbackDistinctId ?? event.run_id,
            event: event.event,
            // Personless events: an anonymous run needs no person profile.
            properties: { ...event.properties, run_id: event.run_id, $process_person_profile: false },
            timestamp: new Date(event.timestamp),
          }),
        )
        .catch((error: unknown) => {
          problem ??= error instanceof Error ? error.message : String(error);
        });
    },
    close() {
      closing ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), shutdownTimeoutMs);
        });
        // posthog-node gets a longer bound than ours so that its own timeout (and its log line) never fires.
        const drained = client.then((posthog) => posthog?.shutdown(shutdownTimeoutMs + 1000)).then(
          () => 'drained' as const,
          () => 'drained' as const,
        );
        const outcome = await Promise.race([drained, deadline]);
        clearTimeout(timer);
        if (outcome === 'timeout') problem ??= `no answer within ${shutdownTimeoutMs} ms`;
        // Whatever is still in flight is dropped now, so no socket keeps the process alive.
        stop.abort();
        if (problem !== undefined) warn(`drover: telemetry: some events were not sent to PostHog at ${origin(options.host)} (${problem})`);
      })();
      return closing;
    },
  };
}

function accepted(): PostHogFetchResponse {
  return new Response(null, { status: 204 });
}

/** The host without any credentials a proxy URL may carry, for the warning. */
function origin(host: string): string {
  try {
    return new URL(host).origin;
  } catch {
    return host;
  }
}

function describeFailure(error: unknown, requestTimeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${requestTimeoutMs} ms`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : undefined;
  return code ?? (cause instanceof Error ? cause.message : String(cause));
}
