/**
 * The two formats GeoReport v2 speaks, chosen by the path's extension: JSON as the objects are,
 * and XML with the specification's element names, where a list is a wrapper element with one
 * child element per entry (services/service, service_requests/request, errors/error ...).
 * XML is written by fast-xml-parser's builder, which escapes every text, so whatever a city
 * platform or a resident typed (`</description><x>`, `]]>`, `&`) comes back as text and the
 * document stays well-formed.
 */
import type { FastifyReply } from 'fastify';
import { XMLBuilder } from 'fast-xml-parser';

export const FORMATS = ['json', 'xml'] as const;
export type Format = (typeof FORMATS)[number];

export const CONTENT_TYPE: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** A list's element name -> the element name of each of its entries. */
const ITEM: Record<string, string> = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  service_requests: 'request',
  service_request_updates: 'request_update',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
};

/** The format a path's last segment names ("services.xml" -> xml); null: none we speak. */
export function formatOf(segment: string): Format | null {
  const m = /\.([A-Za-z0-9]+)$/.exec(segment);
  const ext = m?.[1]?.toLowerCase();
  return ext === 'json' || ext === 'xml' ? ext : null;
}

// XML 1.0 allows tab, line feed, carriage return and U+0020 onwards, except the surrogates
// (alone they are not characters) and U+FFFE / U+FFFF. Text may hold others (a resident can
// type U+0001 in a chat) and the builder escapes markup but not these: they are left out of
// the document rather than refused at the door, so every stored request stays readable as XML.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to strip
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as XML 1.0 allows it: the characters it forbids are left out. */
export function xmlSafeText(s: string): string {
  return s.replace(NOT_XML, '');
}

/** The JSON shape turned into the XML shape: lists wrapped, nulls empty, texts made safe. */
function toXmlTree(value: unknown, name?: string): unknown {
  if (Array.isArray(value)) {
    const item = (name && ITEM[name]) ?? 'item';
    return { [item]: value.map((v) => toXmlTree(v, item)) };
  }
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return xmlSafeText(value);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toXmlTree(v, k);
    return out;
  }
  return value;
}

const builder = new XMLBuilder({ format: true, ignoreAttributes: true, suppressEmptyNode: false, processEntities: true });

/** An XML document whose root element is `root`, holding `body` (a list becomes one child per entry). */
export function toXml(root: string, body: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build({ [root]: toXmlTree(body, root) })}`;
}

/**
 * Sends `body` in the format asked for. A list's XML root is its own name (`root`), e.g.
 * services; JSON sends the body itself, as the specification does (a bare array for lists).
 */
export function sendAs(reply: FastifyReply, format: Format, root: string, body: unknown): FastifyReply {
  reply.header('content-type', CONTENT_TYPE[format]);
  return reply.send(format === 'json' ? JSON.stringify(body) : toXml(root, body));
}
