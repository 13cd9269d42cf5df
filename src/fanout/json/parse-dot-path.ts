/** Splits a dot path (`meta.cat`, `items.0.id`) into its segments, trimming the whole path first. */
export function parseDotPath(path: string): readonly string[] {
  return path.trim().split('.');
}
