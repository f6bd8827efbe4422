/** Every way a use case can refuse, as a stable string code. Transports map codes to replies. */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'ticket_not_found'
  | 'customer_not_found'
  | 'invalid_transition'
  | 'unknown_action'
  | 'unknown_branch'
  | 'unknown_unit'
  | 'unknown_community'
  | 'unknown_staff'
  | 'transfer_to_same_place'
  | 'concurrent_update'
  | 'org_config_invalid'
  | 'deadline_config_invalid'
  | 'csv_invalid'
  | 'bind_failed'
  | 'bind_rate_limited'
  | 'bind_request_expired'
  | 'rate_limited'
  | 'already_answered'
  | 'already_filed'
  | 'not_your_ticket'
  | 'address_required'
  | 'invalid_date'
  | 'invalid_period'
  | 'classifier_corpus_not_found'
  | 'classifier_corpus_invalid'
  | 'classifier_corpus_too_small'
  | 'ticket_closed'
  | 'resident_unreachable'
  | 'reply_too_long'
  | 'duplicate_of_self'
  | 'duplicate_chain'
  | 'duplicate_of_withdrawn'
  | 'duplicate_other_branch'
  | 'has_duplicates'
  | 'duplicate_of_linked'
  | 'incident_not_found'
  | 'unknown_station'
  | 'expected_time_past'
  | 'incident_overlaps'
  | 'form_not_found'
  | 'form_already_returned'
  | 'invalid_range'
  | 'after_sales_required'
  | 'labour_fee_exceeded'
  | 'callback_retry_too_soon'
  | 'callback_not_answered'
  | 'not_a_suggestion'
  | 'finding_exists'
  | 'conduct_category_fixed'
  | 'not_conduct_complaint'
  | 'conduct_staff_required'
  | 'invalid_quote'
  | 'quote_not_found'
  | 'quote_expired'
  | 'quote_already_answered'
  | 'period_not_ended'
  | 'reason_required'
  // Open311 filing (core/open311/file-city-request.ts)
  | 'unknown_service'
  | 'location_required'
  | 'outside_service_area'
  | 'attribute_required'
  | 'invalid_attribute'
  // Open311 reads (core/open311/list-city-requests.ts)
  | 'too_many_ids';

/** The one error class of the domain: a code, a developer-facing message and its context. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly context: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function isAppError(e: unknown, code?: ErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}
