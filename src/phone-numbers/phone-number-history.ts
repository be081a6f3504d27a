import { z } from '@hono/zod-openapi';
import { NullableCategoryRefSchema } from '../categories/categories.schemas.js';
import type { ServiceContext } from '../context.js';
import { queryOne, queryRows } from '../db/query.js';
import { NotFoundError } from '../errors.js';
import { recordBulkRead } from '../audit/audit.repository.js';

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

interface AuditRow {
  at: Date;
  action: string;
  actor: string;
  import_id: number | null;
  from_id: number | null;
  from_name: string | null;
  to_id: number | null;
  to_name: string | null;
}

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
  const rows = await queryRows<AuditRow>(
    ctx,
    `SELECT a.at, a.action, a.actor, a.import_id,
            (a.old_value->>'category_id')::int AS from_id, fc.name AS from_name,
            (a.new_value->>'category_id')::int AS to_id, tc.name AS to_name
     FROM audit_log a
     LEFT JOIN categories fc ON fc.id = (a.old_value->>'category_id')::int
     LEFT JOIN categories tc ON tc.id = (a.new_value->>'category_id')::int
     WHERE a.entity_type = 'phone_number' AND a.entity_id = $1
     ORDER BY a.at, a.id`,
    [id],
  );
  const number = await queryOne<{ created_at: Date; category_id: number; category_name: string; filed_by_import_id: number | null; import_actor: string | null }>(
    ctx,
    `SELECT p.created_at, p.category_id, c.name AS category_name, p.filed_by_import_id, i.created_by AS import_actor
     FROM phone_numbers p JOIN categories c ON c.id = p.category_id LEFT JOIN imports i ON i.id = p.filed_by_import_id
     WHERE p.id = $1`,
    [id],
  );
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
