import { Hono, type Context } from 'hono';
import { roleAllows } from '../../auth/roles.js';
import { listCategories } from '../../categories/categories.service.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../../http/router.js';
import { getPhoneNumberHistory } from '../../phone-numbers/phone-number-history.js';
import { MovePhoneNumberSchema } from '../../phone-numbers/phone-numbers.schemas.js';
import { getPhoneNumberDetail, movePhoneNumber } from '../../phone-numbers/phone-numbers.service.js';
import { formFields, idParam, parseForm, smallForm } from '../forms.js';
import { Alert, formatTime, Layout, type AlertKind } from '../layout.js';
import { consoleHeaders, sameOriginOnly, signedIn } from '../session.js';

type History = Awaited<ReturnType<typeof getPhoneNumberHistory>>;
type HistoryEvent = History['events'][number];

function describeEvent(event: HistoryEvent): string {
  if (event.event === 'filed') return `Filed in “${event.to_category?.name ?? '?'}”`;
  if (event.event === 'deleted') return 'Deleted';
  return `Moved from “${event.from_category?.name ?? '?'}” to “${event.to_category?.name ?? '?'}”`;
}

type Notice = { kind: AlertKind; text: string } | 'moved';

async function numberPage(c: Context<AppEnv>, id: number, given?: Notice) {
  const [number, history, categories] = await Promise.all([
    getPhoneNumberDetail(c.get('ctx'), id),
    getPhoneNumberHistory(c.get('ctx'), id),
    listCategories(c.get('ctx')),
  ]);
  const canMove = roleAllows(c.get('actor').role, 'staff');
  const notice = given === 'moved' ? { kind: 'success' as const, text: `Moved to “${number.category.name}”.` } : given;
  return (
    <Layout title={number.normalized_number} actor={c.get('actor')} section="search">
      {notice && (
        <Alert kind={notice.kind}>
          <p>{notice.text}</p>
        </Alert>
      )}
      <dl class="facts">
        <dt>Name</dt>
        <dd id="contact-name">{number.name ?? '—'}</dd>
        <dt>Category</dt>
        <dd id="current-category">{number.category.name}</dd>
        <dt>As first written</dt>
        <dd>
          <code>{number.original_number}</code>
        </dd>
        <dt>Type</dt>
        <dd>{number.number_type?.toLowerCase().replace(/_/g, ' ') ?? '—'}</dd>
        <dt>Filed</dt>
        <dd>{formatTime(number.created_at)}</dd>
        <dt>Last changed</dt>
        <dd>{formatTime(number.updated_at)}</dd>
      </dl>

      {canMove && (
        <form method="post" action={`/numbers/${number.id}/move`} class="card move-form">
          <label for="move-to">Move to category</label>
          <select id="move-to" name="category_id">
            {categories.map((category) => (
              <option value={String(category.id)} selected={category.id === number.category.id}>
                {category.name}
              </option>
            ))}
          </select>
          <button type="submit">Move</button>
        </form>
      )}

      <section aria-labelledby="identities">
        <h2 id="identities">WhatsApp ids</h2>
        {number.identities.length === 0 ? (
          <p>No LID or business-scoped user id has been seen with this number.</p>
        ) : (
          <ul class="identities">
            {number.identities.map((identity) => (
              <li data-kind={identity.kind}>
                <code>{identity.id}</code> <span class="muted">({identity.kind === 'lid' ? 'LID' : 'BSUID'}, last seen {formatTime(identity.last_seen_at)})</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="history">
        <h2 id="history">History</h2>
        {history.history_since && <p class="muted">Changes are kept from {formatTime(history.history_since)} on; older ones were purged.</p>}
        {history.events.length === 0 ? (
          <p>No changes recorded.</p>
        ) : (
          <ol class="history-events">
            {history.events.map((event) => (
              <li data-event={event.event}>
                <span class="event-what">{describeEvent(event)}</span>{' '}
                <span class="muted">
                  {formatTime(event.at)} by {event.actor}
                  {event.import_id !== null && canMove && (
                    <>
                      {' '}
                      through <a href={`/imports/${event.import_id}`}>import #{event.import_id}</a>
                    </>
                  )}
                  {event.import_id !== null && !canMove && ` through import #${event.import_id}`}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
      <p>
        <a href="/search">Back to search</a>
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
      return c.html(await numberPage(c, id, { kind: 'error', text: error.message }), error.status);
    }
  });
