/**
 * What to call each input document in error messages. The library defaults to the document's
 * role ("config", "plan"); the CLI passes the file names so a message reads
 * `items.json: $.items[3]: expected object, got number`.
 */
export interface FanoutSources {
  readonly config?: string;
  readonly items?: string;
  readonly plan?: string;
  readonly records?: string;
  readonly policy?: string;
}

export function sourceName(sources: FanoutSources | undefined, document: keyof FanoutSources): string {
  return sources?.[document] ?? document;
}
