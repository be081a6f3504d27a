import { Hono, type Context } from 'hono';
import { roleAllows } from '../../auth/roles.js';
import {
  createCategory,
  deleteCategory,
  exportCategoryCsv,
  getCategory,
  listCategories,
  updateCategory,
} from '../../categories/categories.service.js';
import { CreateCategorySchema, DeleteCategoryQuerySchema, UpdateCategorySchema, type Category } from '../../categories/categories.schemas.js';
import { AppError } from '../../errors.js';
import { csvResponse } from '../../http/csv-response.js';
import type { AppEnv } from '../../http/router.js';
import { ShareBar } from '../charts.js';
import { formFields, idParam, parseForm, smallForm } from '../forms.js';
import { Alert, formatCount, Layout, type AlertKind } from '../layout.js';
import { consoleHeaders, sameOriginOnly, signedIn } from '../session.js';

interface Notice {
  kind: AlertKind;
  text: string;
}

function CategoriesPage({ c, categories, notice }: { c: Context<AppEnv>; categories: Category[]; notice?: Notice | undefined }) {
  const actor = c.get('actor');
  const canExport = roleAllows(actor.role, 'staff');
  const isAdmin = roleAllows(actor.role, 'admin');
  const total = categories.reduce((sum, category) => sum + category.phone_count, 0);
  const max = Math.max(0, ...categories.map((category) => category.phone_count));
  return (
    <Layout title="Categories" actor={actor} section="categories">
      {notice && (
        <Alert kind={notice.kind}>
          <p>{notice.text}</p>
        </Alert>
      )}
      <p>
        {formatCount(total)} numbers in {formatCount(categories.length)} categories.
      </p>
      <div class="table-scroll">
        <table class="categories stack">
          <caption class="visually-hidden">Categories, their number counts and share of all numbers</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col" class="num">Numbers</th>
              <th scope="col" class="share">Share</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {categories.map((category) => {
              const percent = total > 0 ? (category.phone_count / total) * 100 : 0;
              return (
                <tr data-category={category.name}>
                  <th scope="row">
                    <a href={`/search?category_id=${category.id}`}>{category.name}</a>
                    {category.description && <span class="description">{category.description}</span>}
                  </th>
                  <td class="num count" data-label="Numbers">{formatCount(category.phone_count)}</td>
                  <td class="share" data-label="Share">
                    <ShareBar value={category.phone_count} max={max} label={`${percent.toFixed(1)} % of all numbers`} />
                    <span class="percent">{percent.toFixed(1)} %</span>
                  </td>
                  <td class="actions">
                    {canExport && (
                      <a href={`/categories/${category.id}/export.csv`} download>
                        Export CSV<span class="visually-hidden"> of {category.name}</span>
                      </a>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {isAdmin && <ManageCategories categories={categories} />}
    </Layout>
  );
}

function ManageCategories({ categories }: { categories: Category[] }) {
  return (
    <section aria-labelledby="manage">
      <h2 id="manage">Manage categories</h2>
      <form method="post" action="/categories" class="card">
        <h3>New category</h3>
        <label for="new-name">Name</label>
        <input id="new-name" name="name" required maxlength={100} autocomplete="off" />
        <label for="new-description">Description (optional)</label>
        <input id="new-description" name="description" maxlength={1000} autocomplete="off" />
        <button type="submit">Create category</button>
      </form>
      {categories.map((category) => (
        <details class="card manage" data-manage={category.name}>
          <summary>Rename or delete “{category.name}”</summary>
          <form method="post" action={`/categories/${category.id}/rename`}>
            <label for={`rename-${category.id}`}>New name</label>
            <input id={`rename-${category.id}`} name="name" required maxlength={100} value={category.name} autocomplete="off" />
            <button type="submit">Rename</button>
          </form>
          <form
            method="post"
            action={`/categories/${category.id}/delete`}
            data-confirm={`Delete the category “${category.name}”? This cannot be undone.`}
          >
            <label for={`move-${category.id}`}>Before deleting, move its {formatCount(category.phone_count)} numbers to</label>
            <select id={`move-${category.id}`} name="move_to">
              <option value="">— nowhere (only possible when it holds no numbers)</option>
              {categories
                .filter((other) => other.id !== category.id)
                .map((other) => (
                  <option value={String(other.id)}>{other.name}</option>
                ))}
            </select>
            <button type="submit" class="danger">
              Delete “{category.name}”
            </button>
          </form>
        </details>
      ))}
    </section>
  );
}

/** The message after a change, from the redirect's query (ids only: names are looked up, not echoed). */
function doneNotice(c: Context<AppEnv>, categories: Category[]): Notice | undefined {
  const done = c.req.query('done');
  const named = (id: string | undefined) => categories.find((category) => String(category.id) === id)?.name;
  if (done === 'created') return { kind: 'success', text: `Category “${named(c.req.query('id')) ?? ''}” created.` };
  if (done === 'renamed') return { kind: 'success', text: `Category renamed to “${named(c.req.query('id')) ?? ''}”.` };
  if (done === 'deleted') {
    const moved = Number(c.req.query('moved') ?? 0);
    const to = named(c.req.query('to'));
    return { kind: 'success', text: to && moved > 0 ? `Category deleted; its ${formatCount(moved)} numbers moved to “${to}”.` : 'Category deleted.' };
  }
  return undefined;
}

/** A refused change is shown on the page it came from, with the service's own message. */
async function showFailure(c: Context<AppEnv>, error: unknown): Promise<Response> {
  if (!(error instanceof AppError)) throw error;
  const categories = await listCategories(c.get('ctx'));
  return c.html(<CategoriesPage c={c} categories={categories} notice={{ kind: 'error', text: error.message }} />, error.status);
}

export const categoriesRoutes = new Hono<AppEnv>()
  .get('/categories', consoleHeaders, signedIn('bot'), async (c) => {
    const categories = await listCategories(c.get('ctx'));
    return c.html(<CategoriesPage c={c} categories={categories} notice={doneNotice(c, categories)} />);
  })
  .get('/categories/:id/export.csv', consoleHeaders, signedIn('staff'), async (c) => {
    const id = idParam(c);
    // Looked up before the first byte goes out: a missing category is a 404 page, not a broken download.
    await getCategory(c.get('ctx'), id);
    return csvResponse(c, exportCategoryCsv(c.get('ctx'), id), `category-${id}.csv`);
  })
  .post('/categories', consoleHeaders, sameOriginOnly, signedIn('admin'), smallForm, async (c) => {
    const form = await formFields(c);
    try {
      const input = parseForm(CreateCategorySchema, { name: form.name ?? '', ...(form.description?.trim() ? { description: form.description } : {}) });
      const created = await createCategory(c.get('ctx'), input);
      return c.redirect(`/categories?done=created&id=${created.id}`, 303);
    } catch (error) {
      return showFailure(c, error);
    }
  })
  .post('/categories/:id/rename', consoleHeaders, sameOriginOnly, signedIn('admin'), smallForm, async (c) => {
    const form = await formFields(c);
    try {
      const id = idParam(c);
      const updated = await updateCategory(c.get('ctx'), id, parseForm(UpdateCategorySchema, { name: form.name ?? '' }));
      return c.redirect(`/categories?done=renamed&id=${updated.id}`, 303);
    } catch (error) {
      return showFailure(c, error);
    }
  })
  .post('/categories/:id/delete', consoleHeaders, sameOriginOnly, signedIn('admin'), smallForm, async (c) => {
    const form = await formFields(c);
    try {
      const id = idParam(c);
      const options = parseForm(DeleteCategoryQuerySchema, form.move_to ? { move_to: form.move_to } : {});
      const deleted = await deleteCategory(c.get('ctx'), id, options);
      return c.redirect(`/categories?done=deleted&moved=${deleted.moved_numbers}&to=${options.move_to ?? ''}`, 303);
    } catch (error) {
      return showFailure(c, error);
    }
  });
