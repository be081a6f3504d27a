import type { RejectionReason } from '../phone/normalize-phone-number.js';
import type { CategoryRejection } from '../import/category-resolver.js';
import type { ReaderRejection } from '../import/read-csv-rows.js';
import type { CellRejection } from '../import/phone-cell.js';

/**
 * What each rejection code means, for people who never read the API: the codes stay in errors.csv
 * (programs match on them), the page says it in words. Typed against the codes' own unions, so a
 * new code without words fails the type check.
 */
const ROW_REASONS: Record<RejectionReason | CategoryRejection | ReaderRejection | CellRejection, string> = {
  EMPTY: 'The number cell is empty',
  NOT_A_NUMBER: 'Not a phone number (letters or symbols where the digits should be)',
  TOO_SHORT: 'Too short to be a phone number',
  TOO_LONG: 'Too long to be a phone number',
  INVALID_COUNTRY_CODE: 'The country code does not exist',
  INVALID_FOR_REGION: 'Not a real number for its country (wrong prefix or length)',
  NOT_A_PHONE_ID: 'A WhatsApp group, broadcast, channel or device id, not a person’s number',
  SPREADSHEET_PRECISION_LOST:
    'The spreadsheet turned the number into scientific notation and lost digits (like 6.28123E+11): format the column as text and export again',
  NO_CATEGORY: 'No category: the row names none and none was chosen for the file',
  UNKNOWN_CATEGORY: 'Its category does not exist (an admin can create it on the Categories page)',
  INVALID_CATEGORY: 'The category name is too long (over 100 characters)',
  AMBIGUOUS_CELL:
    'The cell holds separators (/ ; , or “atau”) but not whole numbers between them: write each number in full',
  UNBALANCED_QUOTE:
    'A quote (") opened on this line runs over the next lines: this line is rejected, the lines after it were read again on their own',
};

export function reasonInWords(code: string): string {
  return (ROW_REASONS as Record<string, string>)[code] ?? code;
}

const ROLE_WORDS = {
  bot: 'bot (can look up and search)',
  staff: 'staff (can also import and move numbers)',
  admin: 'admin (can also manage categories)',
} as const;

export function roleInWords(role: keyof typeof ROLE_WORDS): string {
  return ROLE_WORDS[role];
}
