import { Hono, type Context } from 'hono';
import { statusOf } from '../../http/error-status.js';
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
import { errorInWords } from '../i18n/error-words.js';
import { wordsFor, type Words } from '../i18n/words.js';
import { Alert, Layout, type AlertKind } from '../layout.js';
import { consoleHeaders, sameOriginOnly, signedIn } from '../session.js';

interface Notice {
  kind: AlertKind;
  text: string;
}

function CategoriesPage({ c, categories, notice }: { c: Context<AppEnv>; categories: Category[]; notice?: Notice | undefined }) {
  const w = wordsFor(c);
  const { t } = w;
  const actor = c.get('actor');
  const canExport = roleAllows(actor.role, 'staff');
  const isAdmin = roleAllows(actor.role, 'admin');
  const total = categories.reduce((sum, category) => sum + category.phone_count, 0);
  const max = Math.max(0, ...categories.map((category) => category.phone_count));
  return (
    <Layout w={w} title={t.categories.title} actor={actor} section="categories">
      {notice && (
        <Alert kind={notice.kind}>
          <p>{notice.text}</p>
        </Alert>
      )}
      {categories.length === 0 ? (
        <p id="no-categories">{isAdmin ? t.categories.none : t.categories.noneAskAdmin}</p>
      ) : (
        <>
      <p>{t.categories.summary(w.count(total), w.count(categories.length))}</p>
      <div class="table-scroll">
        <table class="categories stack">
          <caption class="visually-hidden">{t.categories.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.categories.category}</th>
              <th scope="col" class="num">
                {t.categories.numbers}
              </th>
              <th scope="col" class="share">
                {t.categories.share}
              </th>
              <th scope="col">
                <span class="visually-hidden">{t.categories.actions}</span>
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
                  <td class="num count" data-label={t.categories.numbers}>
                    {w.count(category.phone_count)}
                  </td>
                  <td class="share" data-label={t.categories.share}>
                    <ShareBar value={category.phone_count} max={max} label={t.charts.share(w.percent(percent))} />
                    <span class="percent">{w.percent(percent)}</span>
                  </td>
                  <td class="actions">
                    {canExport && (
                      <a href={`/categories/${category.id}/export.csv`} download>
                        {t.categories.export}
                        <span class="visually-hidden">{t.categories.exportOf(category.name)}</span>
                      </a>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
        </>
      )}
      {isAdmin && <ManageCategories w={w} categories={categories} />}
    </Layout>
  );
}

function ManageCategories({ w, categories }: { w: Words; categories: Category[] }) {
  const { t } = w;
  return (
    <section aria-labelledby="manage">
      <h2 id="manage">{t.categories.manage}</h2>
      <form method="post" action="/categories" class="card">
        <h3>{t.categories.new}</h3>
        <label for="new-name">{t.categories.name}</label>
        <input id="new-name" name="name" required maxlength={100} autocomplete="off" />
        <label for="new-description">{t.categories.description}</label>
        <input id="new-description" name="description" maxlength={1000} autocomplete="off" />
        <button type="submit">{t.categories.create}</button>
      </form>
      {categories.map((category) => (
        <details class="card manage" data-manage={category.name}>
          <summary>{t.categories.renameOrDelete(category.name)}</summary>
          <form method="post" action={`/categories/${category.id}/rename`}>
            <label for={`rename-${category.id}`}>{t.categories.newName}</label>
            <input id={`rename-${category.id}`} name="name" required maxlength={100} value={category.name} autocomplete="off" />
            <button type="submit">{t.categories.rename}</button>
          </form>
          <form method="post" action={`/categories/${category.id}/delete`} data-confirm={t.categories.confirmDelete(category.name)}>
            <label for={`move-${category.id}`}>{t.categories.moveFirst(w.count(category.phone_count))}</label>
            <select id={`move-${category.id}`} name="move_to">
              <option value="">{t.categories.nowhere}</option>
              {categories
                .filter((other) => other.id !== category.id)
                .map((other) => (
                  <option value={String(other.id)}>{other.name}</option>
                ))}
            </select>
            <button type="submit" class="danger">
              {t.categories.delete(category.name)}
            </button>
          </form>
        </details>
      ))}
    </section>
  );
}

/** The message after a change, from the redirect's query (ids only: names are looked up, not echoed). */
function doneNotice(c: Context<AppEnv>, categories: Category[]): Notice | undefined {
  const { t, count } = wordsFor(c);
  const done = c.req.query('done');
  const named = (id: string | undefined) => categories.find((category) => String(category.id) === id)?.name;
  if (done === 'created') return { kind: 'success', text: t.categories.created(named(c.req.query('id')) ?? '') };
  if (done === 'renamed') return { kind: 'success', text: t.categories.renamed(named(c.req.query('id')) ?? '') };
  if (done === 'deleted') {
    const moved = Number(c.req.query('moved') ?? 0);
    const to = named(c.req.query('to'));
    return { kind: 'success', text: to && moved > 0 ? t.categories.deletedMoved(count(moved), to) : t.categories.deleted };
  }
  return undefined;
}

/** A refused change is shown on the page it came from, with the service's own message. */
async function showFailure(c: Context<AppEnv>, error: unknown): Promise<Response> {
  if (!(error instanceof AppError)) throw error;
  const categories = await listCategories(c.get('ctx'));
  const text = errorInWords(wordsFor(c), error, c.get('actor'));
  return c.html(<CategoriesPage c={c} categories={categories} notice={{ kind: 'error', text }} />, statusOf(error));
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
