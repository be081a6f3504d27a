import { Hono, type Context } from 'hono';
import { statusOf } from '../../http/error-status.js';
import { roleAllows } from '../../auth/roles.js';
import { listCategories } from '../../categories/categories.service.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../../http/router.js';
import { getPhoneNumberHistory } from '../../phone-numbers/phone-number-history.js';
import { MovePhoneNumberSchema } from '../../phone-numbers/phone-numbers.schemas.js';
import { getPhoneNumberDetail, movePhoneNumber } from '../../phone-numbers/phone-numbers.service.js';
import { formFields, idParam, parseForm, smallForm } from '../forms.js';
import { errorInWords } from '../i18n/error-words.js';
import { wordsFor, type Words } from '../i18n/words.js';
import { Alert, Layout, type AlertKind } from '../layout.js';
import { consoleHeaders, sameOriginOnly, signedIn } from '../session.js';

type History = Awaited<ReturnType<typeof getPhoneNumberHistory>>;
type HistoryEvent = History['events'][number];

function describeEvent({ t }: Words, event: HistoryEvent): string {
  if (event.event === 'filed') return t.number.filedIn(event.to_category?.name ?? '?');
  if (event.event === 'deleted') return t.number.deleted;
  return t.number.movedFrom(event.from_category?.name ?? '?', event.to_category?.name ?? '?');
}

type Notice = { kind: AlertKind; text: string } | 'moved';

async function numberPage(c: Context<AppEnv>, id: number, given?: Notice) {
  const w = wordsFor(c);
  const { t } = w;
  const [number, history, categories] = await Promise.all([
    getPhoneNumberDetail(c.get('ctx'), id),
    getPhoneNumberHistory(c.get('ctx'), id),
    listCategories(c.get('ctx')),
  ]);
  const canMove = roleAllows(c.get('actor').role, 'staff');
  const notice = given === 'moved' ? { kind: 'success' as const, text: t.number.moved(number.category.name) } : given;
  return (
    <Layout w={w} title={number.normalized_number} actor={c.get('actor')} section="search">
      {notice && (
        <Alert kind={notice.kind}>
          <p>{notice.text}</p>
        </Alert>
      )}
      <dl class="facts">
        <dt>{t.number.name}</dt>
        <dd id="contact-name">{number.name ?? '—'}</dd>
        <dt>{t.number.category}</dt>
        <dd id="current-category">{number.category.name}</dd>
        <dt>{t.number.firstWritten}</dt>
        <dd>
          <code>{number.original_number}</code>
        </dd>
        <dt>{t.number.type}</dt>
        <dd>{number.number_type ? (t.number.types[number.number_type] ?? number.number_type.toLowerCase().replace(/_/g, ' ')) : '—'}</dd>
        <dt>{t.number.filed}</dt>
        <dd>{w.time(number.created_at)}</dd>
        <dt>{t.number.changed}</dt>
        <dd>{w.time(number.updated_at)}</dd>
      </dl>

      {canMove && (
        <form method="post" action={`/numbers/${number.id}/move`} class="card move-form">
          <label for="move-to">{t.number.moveTo}</label>
          <select id="move-to" name="category_id">
            {categories.map((category) => (
              <option value={String(category.id)} selected={category.id === number.category.id}>
                {category.name}
              </option>
            ))}
          </select>
          <button type="submit">{t.number.move}</button>
        </form>
      )}

      <section aria-labelledby="identities">
        <h2 id="identities">{t.number.ids}</h2>
        {number.identities.length === 0 ? (
          <p>{t.number.noIds}</p>
        ) : (
          <ul class="identities">
            {number.identities.map((identity) => (
              <li data-kind={identity.kind}>
                <code>{identity.id}</code> <span class="muted">({t.number.lastSeen(identity.kind === 'lid' ? 'LID' : 'BSUID', w.time(identity.last_seen_at))})</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="history">
        <h2 id="history">{t.number.history}</h2>
        {history.history_since && <p class="muted">{t.number.historySince(w.date(history.history_since))}</p>}
        {history.events.length === 0 ? (
          <p>{t.number.noHistory}</p>
        ) : (
          <ol class="history-events">
            {history.events.map((event) => (
              <li data-event={event.event}>
                <span class="event-what">{describeEvent(w, event)}</span>{' '}
                <span class="muted">
                  {t.number.by(w.time(event.at), event.actor)}
                  {event.import_id !== null && canMove && (
                    <>
                      {' '}
                      {t.number.throughImport} <a href={`/imports/${event.import_id}`}>{t.number.importNo(event.import_id)}</a>
                    </>
                  )}
                  {event.import_id !== null && !canMove && ` ${t.number.throughImport} ${t.number.importNo(event.import_id)}`}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
      <p>
        <a href="/search">{t.number.back}</a>
      </p>
    </Layout>
  );
}

export const phoneNumberRoutes = new Hono<AppEnv>()
  .get('/numbers/:id', consoleHeaders, signedIn('staff'), async (c) => {
    return c.html(await numberPage(c, idParam(c), c.req.query('done') === 'moved' ? 'moved' : undefined));
  })
  .post('/numbers/:id/move', consoleHeaders, sameOriginOnly, signedIn('staff'), smallForm, async (c) => {
    const id = idParam(c);
    const form = await formFields(c);
    try {
      const input = parseForm(MovePhoneNumberSchema, { category_id: Number(form.category_id) });
      await movePhoneNumber(c.get('ctx'), id, input);
      return c.redirect(`/numbers/${id}?done=moved`, 303);
    } catch (error) {
      if (!(error instanceof AppError) || error.code === 'NOT_FOUND') throw error;
      return c.html(await numberPage(c, id, { kind: 'error', text: errorInWords(wordsFor(c), error, c.get('actor')) }), statusOf(error));
    }
  });
