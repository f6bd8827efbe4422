/**
 * A URL a city platform sent (media_url), when it is one a browser may open: http or https,
 * parsed (so no spaces, `<` or `>` survive in it). Anything else (javascript:, data:, not a URL)
 * is undefined: filing refuses it, and a row written otherwise is shown without a link.
 */
export function webUrl(raw: string | null | undefined): URL | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}
