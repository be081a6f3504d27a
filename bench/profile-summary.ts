import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * npx tsx bench/profile-summary.ts FILE.cpuprofile [--top 25]
 *
 * Self time by function from a V8 CPU profile (node --cpu-prof), as shares of the sampled time,
 * grouped by function and file; idle and GC are listed as they are. For the before/after of a
 * performance change: the same summary of both profiles, side by side in the note.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, ...rest] = process.argv.slice(2);
if (!file) throw new Error('usage: tsx bench/profile-summary.ts FILE.cpuprofile [--top N]');
const top = rest[0] === '--top' ? Number(rest[1]) : 25;
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, index) => {
  const node = byId.get(id)!;
  const delta = profile.timeDeltas[index] ?? 0;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${path.basename(url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '';
  const key = `${functionName || '(anonymous)'} ${where}`.trim();
  selfMicros.set(key, (selfMicros.get(key) ?? 0) + delta);
  total += delta;
});
const idle = selfMicros.get('(idle)') ?? 0;
const busy = total - idle;
console.log(`${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((busy / total) * 100).toFixed(0)}%)`);
console.log('share of busy time, self, by function:');
for (const [key, micros] of [...selfMicros].filter(([key]) => key !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`  ${((micros / busy) * 100).toFixed(1).padStart(5)}%  ${key}`);
}
