import { z } from '@hono/zod-openapi';
import { NullableCategoryRefSchema } from '../categories/categories.schemas.js';
import type { ServiceContext } from '../context.js';
import { NotFoundError } from '../errors.js';
import { recordBulkRead } from '../audit/audit.repository.js';
import { findFiling, findHistoryEntries } from './phone-number-history.repository.js';

export const HistoryEventSchema = z
  .object({
    at: z.string(),
    event: z.enum(['filed', 'moved', 'deleted']),
    actor: z.string().openapi({ description: 'The name of the key (or command-line user) that did it' }),
    import_id: z.number().int().nullable(),
    from_category: NullableCategoryRefSchema,
    to_category: NullableCategoryRefSchema,
  })
  .openapi('HistoryEvent');

export const PhoneNumberHistorySchema = z
  .object({
    phone_number_id: z.number().int(),
    history_since: z.string().nullable().openapi({
      description: 'Events older than this were purged (AUDIT_RETENTION_DAYS); null when the server keeps them all',
    }),
    events: z.array(HistoryEventSchema),
  })
  .openapi('PhoneNumberHistory');

type HistoryEvent = z.infer<typeof HistoryEventSchema>;

const EVENTS: Record<string, HistoryEvent['event']> = {
  'phone_number.file': 'filed',
  'phone_number.move': 'moved',
  'phone_number.delete': 'deleted',
};

const ref = (id: number | null, name: string | null) => (id === null ? null : { id, name: name ?? '(deleted category)' });

/**
 * "Why is this customer in Lead?": every category change of one number, oldest first, with who did
 * it and through which import. A number filed by an import has no audit row of its own (one per
 * import instead), so its filing is read from the number and its import.
 */
export async function getPhoneNumberHistory(ctx: ServiceContext, id: number) {
  const rows = await findHistoryEntries(ctx, id);
  const number = await findFiling(ctx, id);
  if (!number && rows.length === 0) throw new NotFoundError(`Phone number ${id} does not exist`, { phone_number_id: id });

  const events: HistoryEvent[] = rows.map((row) => ({
    at: row.at.toISOString(),
    event: EVENTS[row.action] ?? 'moved',
    actor: row.actor,
    import_id: row.import_id,
    from_category: ref(row.from_id, row.from_name),
    to_category: ref(row.to_id, row.to_name),
  }));
  if (number?.filed_by_import_id && !events.some((event) => event.event === 'filed')) {
    const firstMove = events.find((event) => event.event === 'moved');
    events.unshift({
      at: number.created_at.toISOString(),
      event: 'filed',
      actor: number.import_actor ?? 'import',
      import_id: number.filed_by_import_id,
      from_category: null,
      to_category: firstMove?.from_category ?? { id: number.category_id, name: number.category_name },
    });
  }
  await recordBulkRead(ctx, ctx.actor, 'phone_number.history_read', { phone_number_id: id }, events.length);
  const historySince = ctx.auditRetentionDays === undefined ? null : new Date(Date.now() - ctx.auditRetentionDays * 86_400_000).toISOString();
  return { phone_number_id: id, history_since: historySince, events };
}
