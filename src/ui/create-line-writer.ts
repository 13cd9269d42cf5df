export interface LineWriter {
  write(line: string): void;
  /** Resolves once everything written so far has been handed to the OS (or the stream has failed). */
  flush(): Promise<void>;
}

/**
 * Writes lines to a stream that may go away: when the reader leaves (`drover run | head`),
 * writes fail with EPIPE, and an unhandled stream error would kill the run. The run is durable
 * and matters more than its progress output, so after an error the writer goes quiet.
 */
export function createLineWriter(stream: NodeJS.WritableStream): LineWriter {
  let broken = false;
  stream.on('error', () => {
    broken = true;
  });
  return {
    write(line) {
      if (!broken) stream.write(`${line}\n`);
    },
    flush: () =>
      new Promise<void>((resolve) => {
        if (broken) resolve();
        else stream.write('', () => resolve());
      }),
  };
}
