import type { TrainingAttendance, TrainingPlanItem, TrainingSession } from '../../core/model.js';
import type { NewTrainingSession, RecordedSession, SessionWithAttendance, TrainingStore } from '../../core/ports/training-store.js';
import { decodeRow, type Row } from '../codec.js';
import type { Runner } from '../runner.js';
import { insertSql, sql } from '../statement.js';

const sessionRow = (r: Row) => decodeRow<TrainingSession>('TrainingSession', r);
const attendanceRow = (r: Row) => decodeRow<TrainingAttendance>('TrainingAttendance', r);
const planRow = (r: Row) => decodeRow<TrainingPlanItem>('TrainingPlanItem', r);

/** Yearly training (R23/R24) over TrainingSession, TrainingAttendance and TrainingPlanItem. */
export class SqlTrainingStore implements TrainingStore {
  constructor(private readonly q: Runner) {}

  async recordSession(s: NewTrainingSession, staffIds: readonly string[]): Promise<RecordedSession> {
    const ids = [...new Set(staffIds)];
    return this.q.transaction(async (tx) => {
      // the unique (topic, date, trainer, branchId) makes two recordings of one session one row
      const inserted = await tx.get(
        sql`${insertSql('TrainingSession', [{ ...s }])} ON CONFLICT ("topic", "date", "trainer", "branchId") DO NOTHING RETURNING *`,
      );
      const row =
        inserted ??
        (await tx.get(
          sql`SELECT * FROM "TrainingSession" WHERE "topic" = ${s.topic} AND "date" = ${s.date} AND "trainer" = ${s.trainer} AND "branchId" = ${s.branchId}`,
        ));
      const session = sessionRow(row!);
      const added: string[] = [];
      if (ids.length) {
        const rows = await tx.all(
          sql`${insertSql(
            'TrainingAttendance',
            ids.map((staffId) => ({ sessionId: session.id, staffId, year: session.year })),
          )} ON CONFLICT ("sessionId", "staffId") DO NOTHING RETURNING "staffId"`,
        );
        added.push(...rows.map((r) => String(r.staffId)));
      }
      const fresh = new Set(added);
      return { session, created: Boolean(inserted), added: ids.filter((id) => fresh.has(id)), already: ids.filter((id) => !fresh.has(id)) };
    });
  }

  async sessionsOfYear(year: number): Promise<SessionWithAttendance[]> {
    const sessions = (await this.q.all(sql`SELECT * FROM "TrainingSession" WHERE "year" = ${year} ORDER BY "date", "id"`)).map(sessionRow);
    if (!sessions.length) return [];
    const attendance = (await this.q.all(sql`SELECT * FROM "TrainingAttendance" WHERE "year" = ${year} ORDER BY "id"`)).map(attendanceRow);
    const by = new Map<number, string[]>();
    for (const a of attendance) by.set(a.sessionId, [...(by.get(a.sessionId) ?? []), a.staffId]);
    return sessions.map((s) => ({ ...s, staffIds: by.get(s.id) ?? [] }));
  }

  async planTopic(item: Omit<TrainingPlanItem, 'id'>): Promise<{ item: TrainingPlanItem; created: boolean }> {
    return this.q.transaction(async (tx) => {
      const inserted = await tx.get(sql`${insertSql('TrainingPlanItem', [{ ...item }])} ON CONFLICT ("year", "branchId", "topic") DO NOTHING RETURNING *`);
      if (inserted) return { item: planRow(inserted), created: true };
      const r = await tx.get(
        sql`UPDATE "TrainingPlanItem" SET "month" = ${item.month} WHERE "year" = ${item.year} AND "branchId" = ${item.branchId} AND "topic" = ${item.topic} RETURNING *`,
      );
      return { item: planRow(r!), created: false };
    });
  }

  async plan(year: number): Promise<TrainingPlanItem[]> {
    const rows = await this.q.all(sql`SELECT * FROM "TrainingPlanItem" WHERE "year" = ${year} ORDER BY "month", "branchId", "topic", "id"`);
    return rows.map(planRow);
  }
}
