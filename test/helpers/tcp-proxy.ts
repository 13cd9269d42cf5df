import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** What a client sends to commit: a COMMIT, or a one-statement transition (`PostgresBackend#call`: `<schema>.<function>`). */
const COMMITS = ['COMMIT\0', '.claim_ready\0', '.complete_attempt\0', '.finish_reported\0'];

/**
 * A TCP proxy (in the test process) between a backend and PostgreSQL: `down()` refuses new
 * connections and cuts every open one, exactly as a database restart or a network partition
 * does; `stall()` keeps the connections open but lets no reply through, as a half-open
 * connection does.
 */
export class TcpProxy {
  readonly #target: URL;
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #port = 0;
  /** When set, the next commit is passed on and its reply lost (the connection is cut instead). */
  #loseCommitReply: (() => void) | undefined;
  #stalled = false;

  constructor(target: URL) {
    this.#target = target;
  }

  get url(): string {
    const url = new URL(this.#target.href);
    url.host = `127.0.0.1:${this.#port}`;
    return url.href;
  }

  async up(): Promise<void> {
    const server = createServer((client) => this.#pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  /** Refuses new connections and cuts the open ones. */
  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    const closed = new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  /** From now on, replies from the database are held back (never delivered): a query sent now is never answered. */
  stall(): void {
    this.#stalled = true;
  }

  /** Replies flow again on connections opened from now on (those that stalled stay silent). */
  resume(): void {
    this.#stalled = false;
  }

  /**
   * Resolves once a commit reached the database and the connection was cut before its reply got
   * back: a COMMIT, or a call of one of the backend's transition functions (migration 5), each
   * its own transaction.
   */
  loseNextCommitReply(): Promise<void> {
    return new Promise((resolve) => (this.#loseCommitReply = resolve));
  }

  #pipe(client: Socket): void {
    const server = createConnection({ host: this.#target.hostname, port: Number(this.#target.port || 5432) });
    this.#sockets.add(client).add(server);
    let swallow: (() => void) | undefined;
    client.on('data', (chunk: Buffer) => {
      // Simple-protocol COMMIT: 'Q', length, "COMMIT\0"; a transition function: its named statement, in the Parse or Bind message.
      if (this.#loseCommitReply !== undefined && COMMITS.some((marker) => chunk.includes(marker))) {
        swallow = this.#loseCommitReply;
        this.#loseCommitReply = undefined;
      }
      server.write(chunk);
    });
    let silent = false;
    server.on('data', (chunk: Buffer) => {
      silent ||= this.#stalled;
      if (silent) return;
      if (swallow === undefined) {
        client.write(chunk);
        return;
      }
      // The database has committed and answered: the answer never arrives.
      client.destroy();
      server.destroy();
      swallow();
      swallow = undefined;
    });
    const end = (): void => {
      client.destroy();
      server.destroy();
      this.#sockets.delete(client);
      this.#sockets.delete(server);
    };
    client.on('close', end).on('error', end);
    server.on('close', end).on('error', end);
  }
}
