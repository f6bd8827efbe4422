/** The specification's examples (test/fixtures/open311) and the shape of an answer, to compare ours with them. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const DIR = resolve(import.meta.dirname, '../../fixtures/open311');
const LISTS = new Set(['service', 'attribute', 'value', 'request', 'request_update', 'error', 'endpoint', 'format']);

export const fixture = (name: string) => readFileSync(resolve(DIR, name), 'utf8');

/** An XML document as data, every text a string, list entries always arrays; throws when it is not well-formed. */
export function parseXml(xml: string): Record<string, unknown> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  return new XMLParser({ parseTagValue: false, isArray: (name) => LISTS.has(name) }).parse(xml);
}

/** The field names of a document, recursively (a list by its first entry; a value is "*"). */
export function shape(x: unknown): unknown {
  if (Array.isArray(x)) return x.length ? [shape(x[0])] : [];
  if (x && typeof x === 'object') {
    return Object.fromEntries(
      Object.keys(x)
        .filter((k) => k !== '?xml')
        .sort()
        .map((k) => [k, shape((x as Record<string, unknown>)[k])]),
    );
  }
  return '*';
}
