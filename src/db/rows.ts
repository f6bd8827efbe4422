/**
 * The core's records (src/core/model.ts) against the models Prisma generates from
 * schema.prisma: a field added to or removed from the schema and not to the core's type (or
 * the other way round) fails the type check here.
 */
import type * as core from '../core/model.js';
import type * as prisma from './generated/sqlite/client.js';

type Same<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : { onlyInCore: Exclude<keyof A, keyof B>; onlyInSchema: Exclude<keyof B, keyof A> };

export const schemaMatchesCore: {
  Customer: Same<core.Customer, prisma.Customer>;
  Resident: Same<core.Resident, prisma.Resident>;
  Ticket: Same<core.Ticket, prisma.Ticket>;
  TicketEvent: Same<core.TicketEvent, prisma.TicketEvent>;
  Deadline: Same<core.Deadline, prisma.Deadline>;
  TicketPhoto: Same<core.TicketPhoto, prisma.TicketPhoto>;
  ServiceForm: Same<core.ServiceForm, prisma.ServiceForm>;
  Callback: Same<core.Callback, prisma.Callback>;
  DutyLogEntry: Same<core.DutyLogEntry, prisma.DutyLogEntry>;
  Handover: Same<core.Handover, prisma.Handover>;
  ScheduledAlert: Same<core.ScheduledAlert, prisma.ScheduledAlert>;
  OutboxMessage: Same<core.OutboxMessage, prisma.OutboxMessage>;
  SlackCard: Same<core.SlackCard, prisma.SlackCard>;
  StaffSession: Same<core.StaffSession, prisma.StaffSession>;
  Incident: Same<core.Incident, prisma.Incident>;
  IncidentEvent: Same<core.IncidentEvent, prisma.IncidentEvent>;
  DutyAssignment: Same<core.DutyAssignment, prisma.DutyAssignment>;
  KpiSnapshot: Same<core.KpiSnapshot, prisma.KpiSnapshot>;
  KpiAdjustment: Same<core.KpiAdjustment, prisma.KpiAdjustment>;
  ConductFinding: Same<core.ConductFinding, prisma.ConductFinding>;
  TrainingPlanItem: Same<core.TrainingPlanItem, prisma.TrainingPlanItem>;
  TrainingSession: Same<core.TrainingSession, prisma.TrainingSession>;
  TrainingAttendance: Same<core.TrainingAttendance, prisma.TrainingAttendance>;
  Quote: Same<core.Quote, prisma.Quote>;
  CityRequest: Same<core.CityRequest, prisma.CityRequest>;
} = {
  Customer: true,
  Resident: true,
  Ticket: true,
  TicketEvent: true,
  Deadline: true,
  TicketPhoto: true,
  ServiceForm: true,
  Callback: true,
  DutyLogEntry: true,
  Handover: true,
  ScheduledAlert: true,
  OutboxMessage: true,
  SlackCard: true,
  StaffSession: true,
  Incident: true,
  IncidentEvent: true,
  DutyAssignment: true,
  KpiSnapshot: true,
  KpiAdjustment: true,
  ConductFinding: true,
  TrainingPlanItem: true,
  TrainingSession: true,
  TrainingAttendance: true,
  Quote: true,
  CityRequest: true,
};
