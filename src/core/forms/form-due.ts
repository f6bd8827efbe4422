/**
 * R8l: the HQ copy of a service form goes back within half a month of the service, taken as 15
 * days. A form not back by then is overdue: listed by /forms and GET /api/forms, and counted in
 * the half-monthly report.
 */
export const FORM_RETURN_DAYS = 15;

/** Forms with a service date before this instant are overdue when not back. */
export function formsDueBefore(now: Date): Date {
  return new Date(now.getTime() - FORM_RETURN_DAYS * 86_400_000);
}
