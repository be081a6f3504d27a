import { Hono } from 'hono';
import type { AppEnv } from '../../http/router.js';
import { getStats } from '../../stats/stats.service.js';
import { DailyChart, fillDays } from '../charts.js';
import { formatCount, formatTime, Layout } from '../layout.js';
import { consoleHeaders, signedIn } from '../session.js';
import { roleAllows, type Actor } from '../../auth/roles.js';

const DAYS = 30;

export const dashboardRoutes = new Hono<AppEnv>().get('/', consoleHeaders, signedIn('bot'), async (c) => {
  // A bot key reads categories and looks single numbers up; totals, searches and people's
  // histories are for staff, so its home page says what the key is for instead.
  if (!roleAllows(c.get('actor').role, 'staff')) return c.html(<BotHome actor={c.get('actor')} />);
  const stats = await getStats(c.get('ctx'), DAYS);
  const days = fillDays(stats.created_per_day, DAYS);
  const filedInPeriod = days.reduce((sum, day) => sum + day.count, 0);
  return c.html(
    <Layout title="Dashboard" actor={c.get('actor')} section="dashboard">
      <ul class="tiles" aria-label="Totals">
        <li class="tile">
          <span class="tile-value" id="total-numbers">{formatCount(stats.total_numbers)}</span> numbers filed
        </li>
        <li class="tile">
          <span class="tile-value">{formatCount(stats.total_categories)}</span> categories
        </li>
        <li class="tile">
          <span class="tile-value">{formatCount(stats.imports.completed)}</span> imports completed
          {stats.imports.running > 0 && <span class="tile-note">{stats.imports.running} running now</span>}
          {stats.imports.failed > 0 && <span class="tile-note">{stats.imports.failed} failed</span>}
        </li>
        <li class="tile">
          <span class="tile-value tile-value-small">{formatTime(stats.imports.last_finished_at)}</span> last import finished
        </li>
      </ul>

      <section aria-labelledby="per-day">
        <h2 id="per-day">Numbers filed per day</h2>
        <p>
          {formatCount(filedInPeriod)} numbers filed in the last {DAYS} days (UTC) are still filed.
        </p>
        <DailyChart days={days} label={`Numbers filed per day, the last ${DAYS} days`} />
        <details>
          <summary>The same as a table</summary>
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Day (UTC)</th>
                  <th scope="col" class="num">Numbers filed</th>
                </tr>
              </thead>
              <tbody>
                {days
                  .filter((day) => day.count !== 0)
                  .map((day) => (
                    <tr>
                      <td>{day.date}</td>
                      <td class="num">{formatCount(day.count)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </details>
      </section>

      <section aria-labelledby="by-category">
        <h2 id="by-category">By category</h2>
        <ul class="plain-list">
          {stats.by_category.map((category) => (
            <li>
              <a href={`/search?category_id=${category.id}`}>{category.name}</a>: {formatCount(category.count)}
            </li>
          ))}
        </ul>
        <p>
          <a href="/categories">All categories, with their share</a>
        </p>
      </section>
    </Layout>,
  );
});

function BotHome({ actor }: { actor: Actor }) {
  return (
    <Layout title="A bot key" actor={actor} section="dashboard">
      <p id="bot-home">
        You are signed in with a bot key. A bot key asks which category a sender is in (<code>GET /v1/lookup/…</code>), teaches
        WhatsApp ids (<code>POST /v1/identities</code>) and reads the list of <a href="/categories">categories</a>. Lists,
        searches, histories and totals of people's numbers need a staff key.
      </p>
    </Layout>
  );
}
