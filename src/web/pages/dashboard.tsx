import { Hono } from 'hono';
import type { AppEnv } from '../../http/router.js';
import { getStats } from '../../stats/stats.service.js';
import { DailyChart, fillDays } from '../charts.js';
import { wordsFor, type Words } from '../i18n/words.js';
import { Layout } from '../layout.js';
import { consoleHeaders, signedIn } from '../session.js';
import { roleAllows, type Actor } from '../../auth/roles.js';

const DAYS = 30;

export const dashboardRoutes = new Hono<AppEnv>().get('/', consoleHeaders, signedIn('bot'), async (c) => {
  const w = wordsFor(c);
  const { t } = w;
  // A bot key reads categories and looks single numbers up; totals, searches and people's
  // histories are for staff, so its home page says what the key is for instead.
  if (!roleAllows(c.get('actor').role, 'staff')) return c.html(<BotHome w={w} actor={c.get('actor')} />);
  const stats = await getStats(c.get('ctx'), DAYS);
  const days = fillDays(stats.created_per_day, DAYS);
  const filedInPeriod = days.reduce((sum, day) => sum + day.count, 0);
  return c.html(
    <Layout w={w} title={t.dashboard.title} actor={c.get('actor')} section="dashboard">
      {stats.total_numbers === 0 && <FirstSteps w={w} />}
      <ul class="tiles" aria-label={t.dashboard.totals}>
        <li class="tile">
          <span class="tile-value" id="total-numbers">{w.count(stats.total_numbers)}</span> {t.dashboard.numbersFiled}
        </li>
        <li class="tile">
          <span class="tile-value">{w.count(stats.total_categories)}</span> {t.dashboard.categories}
        </li>
        <li class="tile">
          <span class="tile-value">{w.count(stats.imports.completed)}</span> {t.dashboard.importsCompleted}
          {stats.imports.running > 0 && <span class="tile-note">{t.dashboard.runningNow(w.count(stats.imports.running))}</span>}
          {stats.imports.failed > 0 && <span class="tile-note">{t.dashboard.failed(w.count(stats.imports.failed))}</span>}
        </li>
        <li class="tile">
          <span class="tile-value tile-value-small">{w.time(stats.imports.last_finished_at)}</span> {t.dashboard.lastImport}
        </li>
      </ul>

      <section aria-labelledby="per-day">
        <h2 id="per-day">{t.dashboard.perDay}</h2>
        <p>{filedInPeriod === 0 ? t.dashboard.noDays(DAYS) : t.dashboard.filedInPeriod(w.count(filedInPeriod), DAYS)}</p>
        {/* A chart of nothing only makes a new install look broken: the steps above say what to do instead. */}
        {stats.total_numbers > 0 && <DailyChart w={w} days={days} label={t.dashboard.chartLabel(DAYS)} />}
        {filedInPeriod > 0 && (
          <details>
            <summary>{t.dashboard.asTable}</summary>
            <div class="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.dashboard.day}</th>
                    <th scope="col" class="num">
                      {t.dashboard.filed}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {days
                    .filter((day) => day.count !== 0)
                    .map((day) => (
                      <tr>
                        <td>{w.date(day.date)}</td>
                        <td class="num">{w.count(day.count)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          </details>
        )}
      </section>

      <section aria-labelledby="by-category">
        <h2 id="by-category">{t.dashboard.byCategory}</h2>
        {stats.by_category.length === 0 ? (
          <p>{t.dashboard.noCategories}</p>
        ) : (
          <ul class="plain-list">
            {stats.by_category.map((category) => (
              <li>
                <a href={`/search?category_id=${category.id}`}>{category.name}</a>: {w.count(category.count)}
              </li>
            ))}
          </ul>
        )}
        <p>
          <a href="/categories">{t.dashboard.allCategories}</a>
        </p>
      </section>
    </Layout>,
  );
});

/** With no numbers yet, the first thing on the page says what to do, in order. */
function FirstSteps({ w }: { w: Words }) {
  const { t } = w;
  return (
    <section class="card first-steps" aria-labelledby="first-steps" id="first-use">
      <h2 id="first-steps">{t.dashboard.startTitle}</h2>
      <p>{t.dashboard.startIntro}</p>
      <ol>
        <li>
          <a href="/example.csv" download id="example-download">
            {t.dashboard.stepExample}
          </a>
          {t.dashboard.stepExampleAfter}
        </li>
        <li>{t.dashboard.stepFill}</li>
        <li>
          <a href="/imports" id="first-import">
            {t.dashboard.stepImport}
          </a>
          {t.dashboard.stepImportAfter}
        </li>
      </ol>
    </section>
  );
}

function BotHome({ w, actor }: { w: Words; actor: Actor }) {
  return (
    <Layout w={w} title={w.t.dashboard.botTitle} actor={actor} section="dashboard">
      <p id="bot-home">{w.t.dashboard.botHome}</p>
      <p>
        <a href="/categories">{w.t.dashboard.botCategories}</a>
      </p>
    </Layout>
  );
}
