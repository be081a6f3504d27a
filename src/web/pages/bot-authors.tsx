import { Hono, type Context } from 'hono';
import { statusOf } from '../../http/error-status.js';
import { CreateApiKeySchema, type ApiKey } from '../../auth/api-keys.schemas.js';
import { createApiKey, listApiKeys } from '../../auth/api-keys.service.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../../http/router.js';
import { formFields, parseForm, smallForm } from '../forms.js';
import { errorInWords } from '../i18n/error-words.js';
import { wordsFor, type Words } from '../i18n/words.js';
import { Alert, Layout } from '../layout.js';
import { consoleHeaders, isHttps, sameOriginOnly, signedIn } from '../session.js';
import { BOT_EXAMPLES } from './bot-examples.js';

/** This server as a bot reaches it: the address the admin's browser used (a proxy's https included). */
function apiBase(c: Context): string {
  const url = new URL(c.req.url);
  return `${isHttps(c) ? 'https:' : url.protocol}//${c.req.header('host') ?? url.host}`;
}

/** A block of text with a copy button; the button appears only when the page's script can copy. */
function Copyable({ w, id, label, text }: { w: Words; id: string; label: string; text: string }) {
  return (
    <div class="copyable">
      <pre id={id} tabindex={0} aria-label={label}>
        <code>{text}</code>
      </pre>
      <button type="button" class="copy-button" data-copy={id} data-copied={w.t.botAuthors.copied} data-copy-failed={w.t.botAuthors.copyFailed} hidden>
        {w.t.botAuthors.copy}
        <span class="visually-hidden"> {label}</span>
      </button>
    </div>
  );
}

interface Created {
  name: string;
  key: string;
}

async function botAuthorsPage(c: Context<AppEnv>, outcome: { created?: Created; error?: string } = {}) {
  const w = wordsFor(c);
  const b = w.t.botAuthors;
  const api = apiBase(c);
  const botKeys = (await listApiKeys(c.get('ctx'))).filter((key) => key.role === 'bot');
  return (
    <Layout w={w} title={b.title} actor={c.get('actor')} section="bot-authors">
      <p>{b.intro}</p>

      <section aria-labelledby="endpoint">
        <h2 id="endpoint">{b.endpoint}</h2>
        <Copyable w={w} id="lookup-endpoint" label={b.endpoint} text={`GET ${api}/v1/lookup/{id}?alt={alt}\nAuthorization: Bearer <bot key>`} />
        <p>{b.endpointText}</p>
        <p>{b.answers}</p>
        <p>
          <a href="/docs">{b.apiDocs}</a>
        </p>
      </section>

      <section aria-labelledby="bot-keys">
        <h2 id="bot-keys">{b.keys}</h2>
        {outcome.created && (
          <Alert kind="success">
            <p>
              <strong>{b.createdTitle(outcome.created.name)}</strong>
            </p>
            <p>{b.createdText}</p>
            <Copyable w={w} id="created-key" label={b.keyOf(outcome.created.name)} text={outcome.created.key} />
          </Alert>
        )}
        {outcome.error && (
          <Alert kind="error">
            <p>{outcome.error}</p>
          </Alert>
        )}
        <form method="post" action="/bot-authors/keys" class="card narrow">
          <label for="bot-key-name">{b.keyName}</label>
          <input id="bot-key-name" name="name" required maxlength={100} autocomplete="off" aria-describedby="bot-key-name-hint" />
          <p class="hint" id="bot-key-name-hint">
            {b.keyNameHint}
          </p>
          <button type="submit">{b.createKey}</button>
        </form>
        <BotKeys w={w} keys={botKeys} />
      </section>

      <section aria-labelledby="examples">
        <h2 id="examples">{b.examples}</h2>
        {BOT_EXAMPLES.map((example) => (
          <details class="card example" data-example={example.id}>
            <summary>{example.title}</summary>
            <Copyable w={w} id={`example-${example.id}`} label={example.title} text={example.code(api)} />
          </details>
        ))}
        <h3>{b.fields}</h3>
        <div class="table-scroll">
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{b.library}</th>
                <th scope="col">{b.idField}</th>
                <th scope="col">{b.altField}</th>
              </tr>
            </thead>
            <tbody>
              {BOT_EXAMPLES.filter((example) => example.idField !== '—').map((example) => (
                <tr>
                  <th scope="row">{example.title}</th>
                  <td data-label={b.idField}>
                    <code>{example.idField}</code>
                  </td>
                  <td data-label={b.altField}>
                    <code>{example.altField}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Layout>
  );
}

function BotKeys({ w, keys }: { w: Words; keys: ApiKey[] }) {
  const b = w.t.botAuthors;
  if (keys.length === 0) return <p id="no-bot-keys">{b.noKeys}</p>;
  return (
    <div class="table-scroll">
      <table class="stack bot-keys">
        <thead>
          <tr>
            <th scope="col">{b.keyName}</th>
            <th scope="col">{b.prefix}</th>
            <th scope="col">{b.createdAt}</th>
            <th scope="col">{b.lastUsed}</th>
            <th scope="col">{b.state}</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr data-key-prefix={key.prefix}>
              <th scope="row">{key.name}</th>
              <td data-label={b.prefix}>
                <code>{key.prefix}</code>
              </td>
              <td data-label={b.createdAt}>{w.date(key.created_at)}</td>
              <td data-label={b.lastUsed}>{key.last_used_at ? w.time(key.last_used_at) : b.never}</td>
              <td data-label={b.state}>{key.revoked_at ? b.revoked : b.active}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The bot authors' corner (admin): where a bot asks, code to copy for each framework in the README,
 * and a bot key made on the spot with the same verb as POST /v1/api-keys and `npm run apikey`.
 */
export const botAuthorsRoutes = new Hono<AppEnv>()
  .get('/bot-authors', consoleHeaders, signedIn('admin'), async (c) => c.html(await botAuthorsPage(c)))
  .post('/bot-authors/keys', consoleHeaders, sameOriginOnly, signedIn('admin'), smallForm, async (c) => {
    const form = await formFields(c);
    try {
      const created = await createApiKey(c.get('ctx'), parseForm(CreateApiKeySchema, { name: form.name ?? '', role: 'bot' }));
      // The key is shown in this answer only: a redirect would have to carry it in the address.
      return c.html(await botAuthorsPage(c, { created: { name: created.name, key: created.key } }), 201);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return c.html(await botAuthorsPage(c, { error: errorInWords(wordsFor(c), error, c.get('actor')) }), statusOf(error));
    }
  });
