import type { CategoryRejection } from '../../imports/pipeline/category-resolver.js';
import type { CellRejection } from '../../imports/pipeline/phone-cell.js';
import type { ReaderRejection } from '../../imports/pipeline/read-csv-rows.js';
import type { RejectionReason } from '../../phone/rejection-reason.js';

/** Every code a rejected row can carry: the catalogs are typed against it, so a new code without words fails the type check. */
export type RowReason = RejectionReason | CategoryRejection | ReaderRejection | CellRejection;
