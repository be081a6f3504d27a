import { describe, expect, it } from 'vitest';
import { sharedBuffersMb } from '../../src/db/embedded-postgres.js';

const GiB = 2 ** 30;

describe('shared_buffers of a persistent embedded cluster', () => {
  it('is a quarter of the machine', () => {
    expect(sharedBuffersMb(4 * GiB)).toBe(1024);
  });

  it('never goes below PostgreSQL’s own default on a small machine', () => {
    expect(sharedBuffersMb(256 * 2 ** 20)).toBe(128);
  });

  it('leaves the rest of a large machine to the kernel’s cache and the API processes', () => {
    expect(sharedBuffersMb(24 * GiB)).toBe(2048);
  });
});
