import { formatCount } from './layout.js';

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

const WIDTH = 600;
const HEIGHT = 200;
const LEFT = 48;
const BOTTOM = 24;
const TOP = 8;

/** Numbers filed per day as columns, with the largest value and the first and last day labelled. */
export function DailyChart({ days, label }: { days: DayCount[]; label: string }) {
  const max = Math.max(1, ...days.map((day) => day.count));
  const plotWidth = WIDTH - LEFT - 8;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(1, days.length);
  const first = days[0];
  const last = days[days.length - 1];
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} class="daily-chart">
        <line class="axis" x1={LEFT} y1={TOP + plotHeight} x2={WIDTH - 8} y2={TOP + plotHeight} />
        <line class="grid" x1={LEFT} y1={TOP} x2={WIDTH - 8} y2={TOP} />
        <text class="axis-label" x={LEFT - 6} y={TOP + 4} text-anchor="end">
          {formatCount(max)}
        </text>
        <text class="axis-label" x={LEFT - 6} y={TOP + plotHeight} text-anchor="end">
          0
        </text>
        {days.map((day, index) => {
          const height = (day.count / max) * plotHeight;
          return (
            <rect
              class="column"
              x={(LEFT + index * slot + slot * 0.15).toFixed(1)}
              y={(TOP + plotHeight - height).toFixed(1)}
              width={(slot * 0.7).toFixed(1)}
              height={height.toFixed(1)}
            >
              <title>{`${day.date}: ${formatCount(day.count)}`}</title>
            </rect>
          );
        })}
        {first && (
          <text class="axis-label" x={LEFT} y={HEIGHT - 6} text-anchor="start">
            {first.date}
          </text>
        )}
        {last && (
          <text class="axis-label" x={WIDTH - 8} y={HEIGHT - 6} text-anchor="end">
            {last.date}
          </text>
        )}
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}
