import { Hono, type Context } from 'hono';
import { listCategories } from '../../categories/categories.service.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../../http/router.js';
import { ListPhoneNumbersQuerySchema, type PhoneNumber } from '../../phone-numbers/phone-numbers.schemas.js';
import { listPhoneNumbers } from '../../phone-numbers/phone-numbers.service.js';
import { parseForm } from '../forms.js';
import { errorInWords } from '../i18n/error-words.js';
import { wordsFor, type Words } from '../i18n/words.js';
import { Alert, Layout } from '../layout.js';
import { MAX_ROW_ID } from '../../http/common.schemas.js';
import { consoleHeaders, signedIn } from '../session.js';

const PAGE = 25;

interface SearchQuery {
  q: string;
  categoryId: number | undefined;
  cursor: string | undefined;
}

function readQuery(c: Context): SearchQuery {
  const q = (c.req.query('q') ?? '').trim();
  const categoryId = Number(c.req.query('category_id'));
  return { q, categoryId: Number.isInteger(categoryId) && categoryId > 0 && categoryId <= MAX_ROW_ID ? categoryId : undefined, cursor: c.req.query('cursor') || undefined };
}

function searchHref(query: SearchQuery, cursor: string): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.categoryId) params.set('category_id', String(query.categoryId));
  params.set('cursor', cursor);
  return `/search?${params}`;
}

type Results = { kind: 'hint' } | { kind: 'error'; message: string } | { kind: 'page'; items: PhoneNumber[]; next: string | null };

/** The search itself: the same verb and the same query schema as GET /v1/phone-numbers. */
async function search(c: Context<AppEnv>, w: Words, query: SearchQuery): Promise<Results> {
  if (!query.q && !query.categoryId) return { kind: 'hint' };
  try {
    const parsed = parseForm(ListPhoneNumbersQuerySchema, {
      search: query.q || undefined,
      category_id: query.categoryId,
      limit: PAGE,
      cursor: query.cursor,
    });
    const page = await listPhoneNumbers(c.get('ctx'), parsed);
    return { kind: 'page', items: page.items, next: page.next_cursor };
  } catch (error) {
    if (error instanceof AppError) return { kind: 'error', message: errorInWords(w, error, c.get('actor')) };
    throw error;
  }
}

/** The results alone: the whole page renders them, and the page's script fetches them as you type. */
function ResultList({ w, results, query }: { w: Words; results: Results; query: SearchQuery }) {
  const { t } = w;
  if (results.kind === 'hint') return <p class="muted">{t.search.hint}</p>;
  if (results.kind === 'error') {
    return (
      <Alert kind="error">
        <p>{results.message}</p>
      </Alert>
    );
  }
  if (results.items.length === 0) return <p id="result-count">{query.q ? t.search.noMatch(query.q) : t.search.emptyCategory}</p>;
  return (
    <>
      <p id="result-count">
        {results.next ? t.search.firstMatches(results.items.length) : t.search.matches(results.items.length)}
        {query.q ? t.search.forQuery(query.q) : ''}
        {query.cursor ? t.search.continued : ''}.
      </p>
      <ul class="results">
        {results.items.map((item) => (
          <li>
            <a href={`/numbers/${item.id}`} class="result-number">
              {item.normalized_number}
            </a>
            {item.name && <span class="result-name">{item.name}</span>}
            <span class="result-category">{item.category.name}</span>
            <span class="muted">
              {t.search.written(item.original_number, w.date(item.created_at))}
            </span>
          </li>
        ))}
      </ul>
      {results.next && (
        <p>
          <a href={searchHref(query, results.next)}>{t.search.more}</a>
        </p>
      )}
    </>
  );
}

export const searchRoutes = new Hono<AppEnv>()
  .get('/search', consoleHeaders, signedIn('staff'), async (c) => {
    const w = wordsFor(c);
    const { t } = w;
    const query = readQuery(c);
    const [results, categories] = await Promise.all([search(c, w, query), listCategories(c.get('ctx'))]);
    const inCategory = categories.find((category) => category.id === query.categoryId);
    return c.html(
      <Layout w={w} title={t.search.title} actor={c.get('actor')} section="search" scripts={['search.js']}>
        <form method="get" action="/search" role="search" class="search-form" id="search-form">
          <label for="q">{t.search.label}</label>
          <div class="search-row">
            <input type="search" id="q" name="q" value={query.q} autocomplete="off" maxlength={100} placeholder={t.search.placeholder} autofocus />
            <button type="submit">{t.search.button}</button>
          </div>
          {inCategory && (
            <p>
              {t.search.inCategory(inCategory.name)} <a href={query.q ? `/search?q=${encodeURIComponent(query.q)}` : '/search'}>{t.search.searchAll}</a>
              <input type="hidden" name="category_id" value={String(inCategory.id)} />
            </p>
          )}
        </form>
        <div id="results" aria-live="polite" aria-busy="false" data-words={JSON.stringify({ failed: t.search.failedFetch, offline: t.search.offline })}>
          <ResultList w={w} results={results} query={query} />
        </div>
      </Layout>,
    );
  })
  .get('/search/results', consoleHeaders, signedIn('staff', { fetched: true }), async (c) => {
    const w = wordsFor(c);
    const query = readQuery(c);
    return c.html(<ResultList w={w} results={await search(c, w, query)} query={query} />);
  });
