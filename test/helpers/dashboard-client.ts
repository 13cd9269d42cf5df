import { request, type ClientRequest, type IncomingMessage } from 'node:http';

export interface HttpReply {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  json<T = Record<string, unknown>>(): T;
}

/** A GET (or another method) with exactly these headers; node:http, so `Host` can be set, as a rebinding page would. */
export function httpGet(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body) as T }));
    });
    req.on('error', reject);
    req.end();
  });
}

export interface SseFrame {
  readonly id?: string;
  readonly event?: string;
  readonly data: string;
}

/** An open event stream: frames as they arrive; `until` resolves once one matches. */
export interface SseStream {
  readonly frames: SseFrame[];
  readonly status: Promise<number>;
  until(match: (frame: SseFrame) => boolean): Promise<SseFrame>;
  close(): void;
}

export function openSse(url: string, headers: Record<string, string> = {}): SseStream {
  const frames: SseFrame[] = [];
  const waiters: Array<{ match: (frame: SseFrame) => boolean; resolve: (frame: SseFrame) => void; reject: (error: Error) => void }> = [];
  let ended = false;
  let req: ClientRequest | undefined;
  const status = new Promise<number>((resolveStatus, rejectStatus) => {
    req = request(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      resolveStatus(res.statusCode ?? 0);
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame: { id?: string; event?: string; data: string } = { data: '' };
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) frame.id = line.slice(4);
            else if (line.startsWith('event: ')) frame.event = line.slice(7);
            else if (line.startsWith('data: ')) {
              frame.data = line.slice(6);
              hasData = true;
            }
          }
          if (!hasData) continue;
          frames.push(frame);
          for (const waiter of [...waiters]) {
            if (!waiter.match(frame)) continue;
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(frame);
          }
        }
      });
      res.on('close', () => {
        ended = true;
        for (const waiter of waiters.splice(0)) waiter.reject(new Error('the event stream ended first'));
      });
    });
    req.on('error', (error) => {
      ended = true;
      rejectStatus(error);
      for (const waiter of waiters.splice(0)) waiter.reject(error);
    });
    req.end();
  });
  return {
    frames,
    status,
    until: (match) => {
      const found = frames.find(match);
      if (found !== undefined) return Promise.resolve(found);
      if (ended) return Promise.reject(new Error('the event stream ended first'));
      return new Promise((resolve, reject) => waiters.push({ match, resolve, reject }));
    },
    close: () => req?.destroy(),
  };
}

export function seqOf(frame: SseFrame): number {
  return (JSON.parse(frame.data) as { seq: number }).seq;
}
