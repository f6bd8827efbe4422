/**
 * Open311 Service Discovery (https://wiki.open311.org/Service_Discovery) at
 * /open311/discovery.{json,xml}: the one address a city platform keeps, naming where this
 * server's GeoReport v2 lives, whom to ask for a key and whom to call. Needs no key. JSON is the
 * object itself; XML is <discovery> with endpoints/endpoint and formats/format (format.ts).
 * Refusals are Open311-shaped, as on /open311/v2 (errors.ts).
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Core } from '../../core/context.js';
import type { Org } from '../../core/org/org.js';
import { type Locale, t } from '../../i18n/index.js';
import { isoDateTime } from './datetime.js';
import { installOpen311Errors, Open311Refusal } from './errors.js';
import { CONTENT_TYPE, formatOf, sendAs } from './format.js';
import { localeOf } from './locale.js';
import { agencyName } from './render.js';

/**
 * When the service list or a service definition last changed (src/core/open311/service-catalogue.ts):
 * a platform refreshes what it cached when this moves. A constant, not the start-up time, so a
 * restart or a second instance does not tell every platform to refetch. Move it to the day of
 * the change whenever a service, group or attribute is added, removed or changed (the discovery
 * test pins the catalogue and says so).
 */
export const CATALOGUE_CHANGED = new Date('2026-12-07T03:39:06Z');

export const GEOREPORT_V2 = 'http://wiki.open311.org/GeoReport_v2';

export interface DiscoveryOptions {
  core: Core;
  /** PUBLIC_URL: where the service is reachable; unset: the request's own protocol and host */
  publicUrl?: string;
}

/** The discovery document, in the specification's field names, for a GeoReport v2 at `base`. */
export function discoveryJson(org: Org, locale: Locale, base: string): Record<string, unknown> {
  const changeset = isoDateTime(CATALOGUE_CHANGED);
  const centre = agencyName(org, locale, null);
  const { hotline } = org.config.company;
  return {
    changeset,
    contact: t(locale, 'open311.discovery.contact', { centre, hotline }),
    key_service: t(locale, 'open311.discovery.key_service', { centre, hotline }),
    endpoints: [
      {
        specification: GEOREPORT_V2,
        url: `${base}/open311/v2`,
        changeset,
        type: 'production',
        formats: [CONTENT_TYPE.xml, CONTENT_TYPE.json].map((c) => c.split(';')[0]),
      },
    ],
  };
}

/**
 * PUBLIC_URL without its trailing slash, else how the caller reached us: its Host (the proxy's
 * X-Forwarded-Proto and -Host with TRUST_PROXY), or the address it connected to when it sent no
 * Host (HTTP/1.0).
 */
function baseUrl(req: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const { localAddress, localPort } = req.socket;
  const host = req.host || (localAddress?.includes(':') ? `[${localAddress}]:${localPort}` : `${localAddress}:${localPort}`);
  return `${req.protocol}://${host}`;
}

const schema = {
  tags: ['open311'],
  summary: 'Service discovery: where the GeoReport v2 API is, how to get a key, whom to contact',
  description: 'Open311 Service Discovery (https://wiki.open311.org/Service_Discovery). Needs no key.',
  security: [],
  params: { type: 'object', properties: { format: { type: 'string', description: 'the answer format: json or xml' } } },
  querystring: { type: 'object', properties: { locale: { type: 'string', description: 'zh-CN (default) or en; also Accept-Language' } } },
} as const;

export const open311DiscoveryRoutes: FastifyPluginAsync<DiscoveryOptions> = async (app, { core, publicUrl }) => {
  installOpen311Errors(app);
  app.get('/discovery.:format', { schema }, async (req, reply) => {
    const format = formatOf(`.${(req.params as { format?: string }).format ?? ''}`);
    if (!format) throw new Open311Refusal(404, 'unsupported_format');
    return sendAs(reply, format, 'discovery', discoveryJson(core.org, localeOf(req), baseUrl(req, publicUrl)));
  });
};
