import { describe, expect, it } from 'vitest';
import { BoundedLru } from '../../src/lookup/bounded-lru.js';

describe('BoundedLru', () => {
  it('when more entries are set than it holds, then the least recently used go first', () => {
    const lru = new BoundedLru<string, number>(3);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    expect(lru.get('a')).toBe(1); // a is now the most recent: b is the oldest
    lru.set('d', 4);
    expect(lru.size).toBe(3);
    expect(lru.get('b')).toBeUndefined();
    lru.set('e', 5); // c is the oldest now
    expect(lru.get('c')).toBeUndefined();
    expect([lru.get('a'), lru.get('d'), lru.get('e')]).toEqual([1, 4, 5]);
  });

  it('when a key is set again, then it counts as recently used', () => {
    const lru = new BoundedLru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('a', 10);
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(10);
  });

  it('when entries are deleted and cleared under churn, then it stays bounded and evicts in order, as a plain list would', () => {
    const lru = new BoundedLru<string, number>(50);
    const model: string[] = []; // oldest first
    let seed = 7;
    const random = (below: number) => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed % below;
    };
    const touch = (key: string) => {
      const at = model.indexOf(key);
      if (at >= 0) model.splice(at, 1);
      model.push(key);
    };
    for (let step = 0; step < 20_000; step += 1) {
      const key = `k${random(200)}`;
      const action = random(100);
      if (action < 50) {
        lru.set(key, step);
        touch(key);
        if (model.length > 50) model.shift();
      } else if (action < 85) {
        const hit = lru.get(key) !== undefined;
        expect(hit, `step ${step}: ${key}`).toBe(model.includes(key));
        if (hit) touch(key);
      } else if (action < 99) {
        lru.delete(key);
        const at = model.indexOf(key);
        if (at >= 0) model.splice(at, 1);
      } else {
        lru.clear();
        model.length = 0;
      }
      expect(lru.size).toBe(model.length);
    }
  });
});
