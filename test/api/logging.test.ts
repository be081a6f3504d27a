import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** The app's own logger (the one `npm start` uses), writing into memory so a test can read every line. */
let t: TestApp;
let lines: string[] = [];
beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  t = await createTestApp({ logger: createLogger('debug', sink) });
});
afterAll(() => t.close());

const NUMBER_DIGITS = '81277001234';

describe('no numbers in logs', () => {
  it('when bots look up, normalize, search and teach ids, then no log line holds the number or the id', async () => {
    lines = [];
    await t.request(`/v1/lookup/62${NUMBER_DIGITS}@s.whatsapp.net`, { as: 'bot' });
    await t.request(`/v1/lookup/0${NUMBER_DIGITS}?alt=0${NUMBER_DIGITS}`, { as: 'bot' });
    await t.request(`/v1/lookup/123456789012345@lid`, { as: 'bot' });
    await t.request(`/v1/identities/123456789012345@lid`, { as: 'bot' });
    await t.request(`/v1/normalize?number=0${NUMBER_DIGITS}`, { as: 'bot' });
    await t.request(`/v1/phone-numbers?search=0${NUMBER_DIGITS}`, { as: 'staff' });
    await t.request('/v1/lookup', { method: 'POST', as: 'bot', json: { numbers: [`0${NUMBER_DIGITS}`] } });
    await t.request(`/v1/lookup/not-a-number-${NUMBER_DIGITS}`, { as: 'bot' });
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      expect(line).not.toContain(NUMBER_DIGITS);
      expect(line).not.toContain('123456789012345');
    }
    expect(lines.some((line) => line.includes('/v1/lookup/[redacted]'))).toBe(true);
  });

  it('when a query fails, then its bind parameters (numbers) are not in the error line', async () => {
    lines = [];
    const logger = createLogger('error', new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }));
    const error = await t.db.sequelize.query('SELECT $1::int', { bind: [`0${NUMBER_DIGITS}x`] }).catch((caught: unknown) => caught);
    logger.error({ err: error }, 'failed');
    expect(lines.join('')).toContain('[redacted]');
    expect(lines.join('')).not.toContain(NUMBER_DIGITS);
  });
});
