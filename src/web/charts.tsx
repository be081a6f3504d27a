import type { Words } from './i18n/words.js';

/**
 * Charts drawn on the server as inline SVG: no chart library, no script, and nothing the page's
 * Content-Security-Policy would have to allow (SVG attributes are not inline styles).
 */

/** One bar of a share, 0–100 % of the widest: scales with its table cell on any screen. */
export function ShareBar({ value, max, label }: { value: number; max: number; label: string }) {
  const width = max > 0 ? Math.max(value > 0 ? 0.5 : 0, (value / max) * 100) : 0;
  return (
    <svg class="share-bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label={label}>
      <rect class="share-bar-track" x="0" y="0" width="100" height="10" />
      <rect class="share-bar-fill" x="0" y="0" width={width.toFixed(2)} height="10" />
    </svg>
  );
}

export interface DayCount {
  date: string;
  count: number;
}

/** The last `days` days ending today (UTC), with 0 for the days the data leaves out. */
export function fillDays(counts: DayCount[], days: number, today = new Date()): DayCount[] {
  const byDate = new Map(counts.map((day) => [day.date, day.count]));
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const filled: DayCount[] = [];
  for (let offset = days - 1; offset >= 0; offset -= 1) {
    const date = new Date(end - offset * 86_400_000).toISOString().slice(0, 10);
    filled.push({ date, count: byDate.get(date) ?? 0 });
  }
  return filled;
}

/** Units of one day's slot in the drawing; the drawing is stretched to the box CSS gives it. */
const SLOT = 10;
const HEIGHT = 100;

/**
 * Numbers filed per day as columns. The columns are SVG stretched to the width of the screen; the
 * labels are HTML beside and below them, so they stay readable at any width.
 */
export function DailyChart({ w, days, label }: { w: Words; days: DayCount[]; label: string }) {
  const max = Math.max(1, ...days.map((day) => day.count));
  const first = days[0];
  const last = days[days.length - 1];
  return (
    <figure class="chart">
      <div class="chart-body">
        <div class="chart-y" aria-hidden="true">
          <span>{w.count(max)}</span>
          <span>0</span>
        </div>
        <svg viewBox={`0 0 ${days.length * SLOT} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={label} class="daily-chart">
          <line class="grid" x1="0" y1="0.5" x2={days.length * SLOT} y2="0.5" vector-effect="non-scaling-stroke" />
          <line class="axis" x1="0" y1={HEIGHT} x2={days.length * SLOT} y2={HEIGHT} vector-effect="non-scaling-stroke" />
          {days.map((day, index) => {
            const height = (day.count / max) * HEIGHT;
            return (
              <rect class="column" x={index * SLOT + 1.5} y={(HEIGHT - height).toFixed(2)} width={SLOT - 3} height={height.toFixed(2)}>
                <title>{`${w.date(day.date)}: ${w.count(day.count)}`}</title>
              </rect>
            );
          })}
        </svg>
        <div class="chart-x" aria-hidden="true">
          <span>{first ? w.date(first.date) : ''}</span>
          <span>{last ? w.date(last.date) : ''}</span>
        </div>
      </div>
      <figcaption>{label}</figcaption>
    </figure>
  );
}
