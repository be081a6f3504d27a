/** Stable reason codes: clients and import reports match on these strings. */
export const REJECTION_REASONS = [
  'EMPTY',
  'NOT_A_NUMBER',
  'TOO_SHORT',
  'TOO_LONG',
  'INVALID_COUNTRY_CODE',
  'INVALID_FOR_REGION',
  'NOT_A_PHONE_ID',
  'SPREADSHEET_PRECISION_LOST',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];
