/**
 * Telegram refuses messages over 4096 characters. Long texts (a long ticket list, a timeline)
 * are cut into parts at line breaks, or at spaces, or hard when a single line is that long.
 */
export const MAX_MESSAGE_CHARS = 4096;

export function splitText(text: string, max = MAX_MESSAGE_CHARS): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    // Never cut a surrogate pair in two.
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest.trim() || parts.length === 0) parts.push(rest);
  return parts;
}
