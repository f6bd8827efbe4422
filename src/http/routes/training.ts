/**
 * Yearly training over HTTP (R23/R24): POST /api/training/sessions.csv imports sessions and their
 * attendance (write scope); GET /api/training and /api/training.csv give a year's sessions,
 * attendance per staff member and the staff with none (read scope). Query: year (YYYY, this
 * year by default), branch, lang (the CSV's words: zh-CN or en).
 */
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/context.js';
import type { Org } from '../../core/org/org.js';
import { importTrainingSessions, TRAINING_COLUMNS, TRAINING_OPTIONAL_COLUMNS } from '../../core/training/import-sessions.js';
import { readYear, trainingYear, type TrainingYear } from '../../core/training/training-year.js';
import { asLocale, t, type Locale } from '../../i18n/index.js';
import { clientActor } from '../auth.js';
import { attachment, branchName, csvBytes } from '../dashboard/format.js';

export interface TrainingQuery {
  year?: string;
  branch?: string;
  lang?: string;
}

const querystring = {
  type: 'object',
  additionalProperties: false,
  properties: {
    year: { type: 'string', maxLength: 4, description: 'YYYY (default: this year)' },
    branch: { type: 'string', maxLength: 64, description: "one branch's staff and the sessions they attended or it held" },
    lang: { enum: ['zh-CN', 'en'] },
  },
} as const;

const L = (locale: Locale, key: string) => t(locale, `dashboard.training.${key}`);

/** A session's place: "" is the whole company. */
export const trainingPlace = (org: Org, branchId: string, locale: Locale) => (branchId ? branchName(org, branchId, locale) : L(locale, 'company'));

/** A staff member's place: null is the centre. */
const staffPlace = (org: Org, branchId: string | null, locale: Locale) => branchName(org, branchId, locale);

export function trainingJson(org: Org, y: TrainingYear, locale: Locale = 'zh-CN') {
  const name = (id: string) => org.staff.get(id)?.name ?? id;
  return {
    year: y.year,
    branchId: y.branchId ?? null,
    counts: {
      sessions: y.sessions.length,
      attendances: y.sessions.reduce((n, s) => n + s.staffIds.length, 0),
      service: y.staff.filter((s) => s.service).length,
      untrained: y.untrained.length,
    },
    sessions: y.sessions.map((s) => ({
      id: s.id,
      date: s.date,
      topic: s.topic,
      topicName: L(locale, `topic.${s.topic}`),
      trainer: s.trainer,
      branchId: s.branchId,
      placeName: trainingPlace(org, s.branchId, locale),
      note: s.note,
      attendees: s.staffIds.map((id) => ({ staffId: id, name: name(id) })),
    })),
    staff: y.staff.map((s) => ({
      ...s,
      name: name(s.staffId),
      role: org.staff.get(s.staffId)?.role ?? null,
      branchName: staffPlace(org, s.branchId, locale),
      topicNames: s.topics.map((x) => L(locale, `topic.${x}`)),
    })),
    untrained: y.untrained.map((id) => ({ staffId: id, name: name(id) })),
  };
}

/** One line per staff member listed: their place, role, sessions this year, topics covered, the latest day, trained or not. */
export function trainingCsv(org: Org, y: TrainingYear, locale: Locale): Buffer {
  const header = [
    L(locale, 'csv.year'),
    L(locale, 'col.branch'),
    L(locale, 'csv.staff_id'),
    L(locale, 'csv.name'),
    L(locale, 'col.role'),
    L(locale, 'col.sessions'),
    L(locale, 'col.topics'),
    L(locale, 'col.last'),
    L(locale, 'csv.trained'),
  ];
  const lines = y.staff.map((s) => {
    const staff = org.staff.get(s.staffId);
    return [
      y.year,
      staffPlace(org, s.branchId, locale),
      s.staffId,
      staff?.name ?? s.staffId,
      staff ? L(locale, `role.${staff.role}`) : '',
      s.sessions,
      s.topics.map((x) => L(locale, `topic.${x}`)).join(L(locale, 'separator')),
      s.lastDate ?? '',
      L(locale, s.sessions > 0 ? 'csv.yes' : 'csv.no'),
    ];
  });
  return csvBytes([header, ...lines]);
}

export async function trainingRoutes(app: FastifyInstance, { core }: { core: Core }) {
  // a year of a company's sessions is a few hundred kilobytes at most: read whole (the app's body limit applies)
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const year = async (q: TrainingQuery) => trainingYear(core, { year: readYear(q.year, core.clock.now()), branchId: q.branch || undefined });

  app.post<{ Body: string }>(
    '/api/training/sessions.csv',
    {
      schema: {
        tags: ['training'],
        summary: `Import training sessions from CSV (text/csv): ${TRAINING_COLUMNS.join(',')}[,${TRAINING_OPTIONAL_COLUMNS.join(',')}], one line per attendee`,
        description: [
          'The lines of one date, topic, trainer and branch (empty: the whole company) make one session; a session stored before takes the new attendees.',
          'topic is one of regulations, company_rules, heating_process, indoor_systems, communication, complaint_handling (R24); date is YYYY-MM-DD, company time, not after today; staff_id is an id of the organisation file.',
          'Each bad line stores nothing and is listed with its line number and code (missing_field, malformed_date, date_in_future, unknown_topic, unknown_staff, unknown_branch, too_long, duplicate_row: the attendee is on the session already, earlier in the file or stored before); the good lines are stored. A file without the header is refused whole (400 csv_invalid).',
        ].join('\n\n'),
        consumes: ['text/csv'],
      },
    },
    async (req, reply) => {
      if (typeof req.body !== 'string') return reply.status(415).send({ code: 'unsupported_media_type', message: 'send the CSV as text/csv' });
      return importTrainingSessions(core, req.body, clientActor(req));
    },
  );

  app.get<{ Querystring: TrainingQuery }>(
    '/api/training',
    { schema: { tags: ['training'], summary: "A year's training sessions, attendance per staff member and the staff with none (R23/R24)", querystring } },
    async (req) => trainingJson(core.org, await year(req.query), asLocale(req.query.lang)),
  );

  app.get<{ Querystring: TrainingQuery }>(
    '/api/training.csv',
    { schema: { tags: ['training'], summary: 'Attendance per staff member as CSV for Excel/WPS (UTF-8 with BOM)', querystring } },
    async (req, reply) => {
      const y = await year(req.query);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', attachment(`training-${y.year}${y.branchId ? `-${y.branchId}` : ''}.csv`))
        .header('cache-control', 'no-store')
        .send(trainingCsv(core.org, y, asLocale(req.query.lang)));
    },
  );
}
