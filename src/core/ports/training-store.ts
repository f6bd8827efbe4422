import type { TrainingPlanItem, TrainingSession, TrainingTopic } from '../model.js';

/** A session as recorded: what makes it one session (topic, date, trainer, branch) and what is said of it. */
export type NewTrainingSession = Omit<TrainingSession, 'id'>;

/** A session with the staff who attended it. */
export interface SessionWithAttendance extends TrainingSession {
  staffIds: string[];
}

/** What recording a session stored: the session (new or found), and which attendees were new to it. */
export interface RecordedSession {
  session: TrainingSession;
  /** false: a session of the same topic, date, trainer and branch was stored before; the attendees joined it */
  created: boolean;
  /** attendees stored now */
  added: string[];
  /** attendees the session had already (nothing stored for them) */
  already: string[];
}

/** Yearly training of service staff (R23/R24): the plan, sessions and who attended. */
export interface TrainingStore {
  /**
   * One transaction: the session (or the one already stored with the same topic, date, trainer and
   * branch) and an attendance row for each staff member it did not have yet.
   */
  recordSession(session: NewTrainingSession, staffIds: readonly string[]): Promise<RecordedSession>;
  /** The year's sessions with their attendees, by date then id. */
  sessionsOfYear(year: number): Promise<SessionWithAttendance[]>;
  /** A planned topic for a year and branch ("" = the company): stored, or its month changed when planned already. */
  planTopic(item: Omit<TrainingPlanItem, 'id'>): Promise<{ item: TrainingPlanItem; created: boolean }>;
  /** The year's plan by month, branch and topic. */
  plan(year: number): Promise<TrainingPlanItem[]>;
}

export type { TrainingTopic };
