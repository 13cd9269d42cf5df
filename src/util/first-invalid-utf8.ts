/**
 * The byte offset of the first byte that does not start or continue a well-formed UTF-8
 * sequence (overlongs, surrogates and code points above U+10FFFF included), or -1. Only called
 * after `isUtf8` said no, so it favours clarity over speed.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min: number;
    let max = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) length = 3;
    else if (lead >= 0xf0 && lead <= 0xf4) length = 4;
    else return i;
    // A sequence cut short by the end is reported at its lead byte, a bad continuation at itself.
    // The second byte's range excludes overlongs (E0, F0), surrogates (ED) and > U+10FFFF (F4).
    min = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    if (lead === 0xed) max = 0x9f;
    if (lead === 0xf4) max = 0x8f;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < min || next > max) return next === undefined ? i : i + k;
      min = 0x80;
      max = 0xbf;
    }
    i += length;
  }
  return -1;
}
