import type { ServiceContext } from '../context.js';
import { recordAudit, recordBulkRead } from '../audit/audit.repository.js';
import { csvCell, csvPages } from '../csv-export/csv-cell.js';
import { UniqueConstraintError } from 'sequelize';
import { inTransaction } from '../db/query.js';
import { readFromReplica } from '../db/read-db.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import {
  countNumbersInCategory,
  deleteAllNumbers,
  deleteCategoryRow,
  findAllCategories,
  findCategoryById,
  findCategoryByName,
  findExportPage,
  insertCategory,
  lockCategories,
  moveAllNumbers,
  updateCategoryRow,
} from './categories.repository.js';
import { recordWebhookEvent } from '../webhooks/webhook-outbox.repository.js';
import type {
  Category,
  CreateCategoryInput,
  DeleteCategoryOptions,
  UpdateCategoryInput,
} from './categories.schemas.js';

export function listCategories(ctx: ServiceContext): Promise<Category[]> {
  return readFromReplica(ctx, findAllCategories);
}

export async function getCategory(ctx: ServiceContext, id: number): Promise<Category> {
  const category = await findCategoryById(ctx, id);
  if (!category) throw new NotFoundError(`Category ${id} does not exist`, { category_id: id });
  return category;
}

export async function createCategory(ctx: ServiceContext, input: CreateCategoryInput): Promise<Category> {
  try {
    return await inTransaction(ctx, async (tx) => {
      const id = await insertCategory(tx, { name: input.name, description: input.description ?? null });
      const created = await getCategory(tx, id);
      await recordAudit(tx, ctx.actor, { action: 'category.create', entityType: 'category', entityId: created.id, newValue: { name: created.name, description: created.description } });
      await recordWebhookEvent(tx, { type: 'category.created', orderingKey: `category:${created.id}`, data: { category: categoryData(created) } });
      return created;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintError) throw await nameTaken(ctx, input.name);
    throw error;
  }
}

export async function updateCategory(ctx: ServiceContext, id: number, input: UpdateCategoryInput): Promise<Category> {
  try {
    return await inTransaction(ctx, async (tx) => {
      const before = await getCategory(tx, id);
      await updateCategoryRow(tx, id, {
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
      });
      const after = await getCategory(tx, id);
      await recordAudit(tx, ctx.actor, {
        action: 'category.update',
        entityType: 'category',
        entityId: id,
        oldValue: { name: before.name, description: before.description },
        newValue: { name: after.name, description: after.description },
      });
      await recordWebhookEvent(tx, {
        type: 'category.updated',
        orderingKey: `category:${id}`,
        data: { category: categoryData(after), previous: { name: before.name, description: before.description } },
      });
      return after;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintError && input.name) throw await nameTaken(ctx, input.name);
    throw error;
  }
}

function categoryData(category: Category) {
  return { id: category.id, name: category.name, description: category.description };
}

async function nameTaken(ctx: ServiceContext, name: string): Promise<ConflictError> {
  const existing = await findCategoryByName(ctx, name);
  return new ConflictError(`A category named "${name}" already exists`, { existing });
}

export interface DeletedCategory {
  id: number;
  moved_numbers: number;
  deleted_numbers: number;
}

/**
 * Numbers are never deleted as a side effect: a category that holds numbers is deleted only when the
 * caller says where they go (`move_to`) or that they go with it (`cascade`). Both happen in one
 * transaction with the category row locked, so a number filed meanwhile cannot be orphaned.
 */
export async function deleteCategory(
  ctx: ServiceContext,
  id: number,
  options: DeleteCategoryOptions,
): Promise<DeletedCategory> {
  if (options.move_to === id) throw new ValidationError('move_to must be another category', { move_to: id }, { unprocessable: true });
  return inTransaction(ctx, async (tx) => {
    const locked = await lockCategories(tx, options.move_to === undefined ? [id] : [id, options.move_to]);
    if (!locked.includes(id)) throw new NotFoundError(`Category ${id} does not exist`, { category_id: id });
    if (options.move_to !== undefined && !locked.includes(options.move_to)) {
      throw new ValidationError(`Category ${options.move_to} (move_to) does not exist`, { move_to: options.move_to }, { unprocessable: true });
    }

    let movedNumbers = 0;
    let deletedNumbers = 0;
    if (options.move_to !== undefined) {
      // Each moved number's history shows the move and who asked for it.
      movedNumbers = await moveAllNumbers(tx, ctx.actor, id, options.move_to);
    } else if (options.cascade) {
      deletedNumbers = await deleteAllNumbers(tx, ctx.actor, id);
    } else {
      const held = await countNumbersInCategory(tx, id);
      if (held > 0) {
        throw new ConflictError(
          `Category ${id} still holds ${held} numbers; pass move_to={id} to move them or cascade=true to delete them`,
          { category_id: id, phone_count: held },
        );
      }
    }
    const deleted = await deleteCategoryRow(tx, id);
    await recordAudit(tx, ctx.actor, {
      action: 'category.delete',
      entityType: 'category',
      entityId: id,
      oldValue: deleted,
      newValue: { moved_numbers: movedNumbers, moved_to: options.move_to ?? null, deleted_numbers: deletedNumbers },
    });
    // One event for the category, whatever it held: numbers moved or deleted with it are counted, not sent one by one.
    await recordWebhookEvent(tx, {
      type: 'category.deleted',
      orderingKey: `category:${id}`,
      data: { category: { id, name: deleted!.name, description: deleted!.description }, moved_numbers: movedNumbers, moved_to: options.move_to ?? null, deleted_numbers: deletedNumbers },
    });
    return { id, moved_numbers: movedNumbers, deleted_numbers: deletedNumbers };
  });
}

/**
 * The category a request names by id or by name. An unknown one is the request's fault, not a
 * missing resource at this URL, hence 422.
 */
export async function resolveCategory(
  ctx: ServiceContext,
  choice: { category_id?: number | undefined; category?: string | undefined },
): Promise<Category> {
  const category =
    choice.category_id !== undefined
      ? await findCategoryById(ctx, choice.category_id)
      : await findCategoryByName(ctx, choice.category ?? '');
  if (!category) {
    const named = choice.category_id !== undefined ? `Category ${choice.category_id}` : `Category "${choice.category}"`;
    throw new ValidationError(`${named} does not exist`, { category_id: choice.category_id, category: choice.category }, { unprocessable: true });
  }
  return category;
}

/** The category's numbers as CSV, read page by page by id. */
export async function* exportCategoryCsv(ctx: ServiceContext, id: number): AsyncGenerator<string> {
  await getCategory(ctx, id);
  let rows = 0;
  try {
    yield* categoryCsv(ctx, id, () => (rows += 1));
  } finally {
    // Recorded with what was actually sent, also when the download was broken off.
    await recordBulkRead(ctx, ctx.actor, 'category.export', { category_id: id }, rows);
  }
}

function categoryCsv(ctx: ServiceContext, id: number, counted: () => void): AsyncGenerator<string> {
  return csvPages(
    'normalized_number,original_number,created_at,name',
    (afterId, limit) => findExportPage(ctx, id, afterId, limit),
    (row) => row.id,
    // name last: a program reading the columns by position keeps working.
    (row) => {
      counted();
      return `${row.normalized_number},${csvCell(row.original_number)},${row.created_at.toISOString()},${row.name === null ? '' : csvCell(row.name)}`;
    },
  );
}
