import type { Actor, Role } from '../../auth/roles.js';
import type { ErrorCode } from '../../errors.js';
import type { Words } from './words.js';

/** What the console knows of a refusal: the API's code and details (its English message is for programs). */
export interface Refusal {
  code: ErrorCode;
  details?: unknown;
}

type Details = Record<string, unknown>;

const has = (details: Details, key: string) => details[key] !== undefined && details[key] !== null;

/**
 * A refusal in the console's own words, in the page's language. The API's messages stay English
 * (its codes and details are the contract); the console reads the code and details and says what
 * they mean to a person, falling back to a sentence per code.
 */
export function errorInWords(w: Words, refusal: Refusal, actor?: Actor): string {
  const { t } = w;
  const details = (typeof refusal.details === 'object' && refusal.details !== null ? refusal.details : {}) as Details;
  const reason = typeof details.reason === 'string' ? details.reason : undefined;
  if (reason && reason in t.fileFailures) return t.fileFailures[reason as keyof typeof t.fileFailures];
  switch (refusal.code) {
    case 'FORBIDDEN':
      if (reason === 'CROSS_SITE_REQUEST') return t.errors.crossSite;
      if (has(details, 'needed') && has(details, 'role')) {
        return t.errors.forbidden(t.roles[details.needed as Role] ?? String(details.needed), actor?.name ?? '?', t.roles[details.role as Role] ?? String(details.role));
      }
      break;
    case 'CONFLICT':
      if (has(details, 'phone_count')) return t.errors.categoryNotEmpty(w.count(Number(details.phone_count)));
      if (has(details, 'reverted_at')) return t.errors.alreadyReverted;
      if (has(details, 'import_id')) return has(details, 'status') ? t.errors.notCompleted : t.errors.dryRunRevert;
      if (has(details, 'existing')) {
        const existing = details.existing as Details;
        if (typeof existing.name === 'string' && !has(existing, 'normalized_number')) return t.errors.categoryExists(existing.name);
      }
      break;
    case 'NOT_FOUND':
      if (has(details, 'category_id')) return t.errors.categoryGone;
      if (has(details, 'phone_number_id')) return t.errors.numberGone;
      if (has(details, 'import_id')) return t.errors.importGone;
      break;
    case 'VALIDATION_FAILED':
      if (reason === 'SEARCH_TOO_BROAD') return t.errors.searchTooBroad;
      if (details.field === 'category') return t.imports.chooseCategoryFirst;
      if (has(details, 'move_to')) return t.errors.moveToSame;
      if (has(details, 'cursor')) return t.errors.badCursor;
      if (has(details, 'category_id') || has(details, 'category')) return t.errors.categoryGone;
      if (Array.isArray(details.issues)) return formProblems(w, details.issues as Array<{ path?: unknown[] }>);
      break;
    case 'PAYLOAD_TOO_LARGE':
      if (has(details, 'max_bytes')) return t.errors.tooLarge(formatSize(Number(details.max_bytes)));
      break;
    case 'RATE_LIMITED':
      if (has(details, 'max_concurrent_uploads')) return t.errors.uploadsBusy;
      break;
  }
  return t.errors.general[refusal.code];
}

/** The fields a form got wrong, named as the page names them. */
function formProblems(w: Words, issues: Array<{ path?: unknown[] }>): string {
  const fields = [...new Set(issues.map((issue) => String(issue.path?.[0] ?? '')).filter(Boolean))].map((field) => w.t.errors.fields[field] ?? field);
  return fields.length > 0 ? w.t.errors.formFields(fields.join(', ')) : w.t.errors.general.VALIDATION_FAILED;
}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}
