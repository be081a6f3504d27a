import { describe, expect, it } from 'vitest';
import { LookupBatcher } from '../../src/lookup/lookup-batcher.js';

/** A stand-in query that records each batch it is given and answers after a tick of its own. */
function recordingQuery(fail = false) {
  const batches: string[][] = [];
  const query = async (numbers: string[]) => {
    batches.push(numbers);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (fail) throw new Error('database gone');
    return new Map(numbers.filter((number) => number.endsWith('1')).map((number) => [number, { number }]));
  };
  return { batches, query };
}

describe('LookupBatcher', () => {
  it('when lookups arrive together, then one query answers them all, each with its own row', async () => {
    const { batches, query } = recordingQuery();
    const batcher = new LookupBatcher(query);
    const answers = await Promise.all(['+621', '+622', '+621', '+631'].map((number) => batcher.find(number)));
    expect(answers).toEqual([{ number: '+621' }, undefined, { number: '+621' }, { number: '+631' }]);
    expect(batches).toEqual([['+621', '+622', '+631']]);
  });

  it('when queries are in flight up to the limit, then later lookups wait and go together in the next one', async () => {
    const { batches, query } = recordingQuery();
    const batcher = new LookupBatcher(query, 1);
    const first = batcher.find('+621');
    await new Promise((resolve) => setImmediate(resolve));
    const later = ['+632', '+641', '+652'].map((number) => batcher.find(number));
    expect(await Promise.all([first, ...later])).toEqual([{ number: '+621' }, undefined, { number: '+641' }, undefined]);
    expect(batches).toEqual([['+621'], ['+632', '+641', '+652']]);
  });

  it('when the query fails, then every lookup of that batch fails with its error, and the next batch is tried afresh', async () => {
    const failing = recordingQuery(true);
    const batcher = new LookupBatcher(failing.query);
    const results = await Promise.allSettled([batcher.find('+621'), batcher.find('+622')]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    await expect(batcher.find('+623')).rejects.toThrow('database gone');
    expect(failing.batches).toEqual([['+621', '+622'], ['+623']]);
  });
});
