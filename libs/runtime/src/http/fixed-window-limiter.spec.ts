import { FixedWindowLimiter } from './fixed-window-limiter';

describe('FixedWindowLimiter', () => {
  let now: number;
  const minute = (options: { maxKeys?: number } = {}) => new FixedWindowLimiter({ limit: 3, windowSeconds: 60 }, () => now, options.maxKeys);
  const spend = (limiter: FixedWindowLimiter, key: string, hits: number) => {
    for (let hit = 0; hit < hits; hit += 1) limiter.count(key);
  };

  beforeEach(() => (now = 1_000_000));

  it('lets a key go on until it has used its limit, then says how many seconds its window has left', () => {
    const limiter = minute();
    spend(limiter, 'a', 2);
    expect(limiter.retryAfterSeconds('a')).toBeUndefined();

    limiter.count('a');
    expect(limiter.retryAfterSeconds('a')).toBe(60);
    now += 30_000;
    expect(limiter.retryAfterSeconds('a')).toBe(30);
    now += 29_500;
    expect(limiter.retryAfterSeconds('a')).toBe(1);
  });

  it('counts each key on its own', () => {
    const limiter = minute();
    spend(limiter, 'a', 3);
    spend(limiter, 'b', 2);
    expect(limiter.retryAfterSeconds('b')).toBeUndefined();
  });

  it('starts a window at its first hit and forgets the key when it ends', () => {
    const limiter = minute();
    limiter.count('a');
    now += 50_000;
    spend(limiter, 'a', 2);
    expect(limiter.retryAfterSeconds('a')).toBe(10);

    now += 10_000;
    expect(limiter.retryAfterSeconds('a')).toBeUndefined();
    spend(limiter, 'a', 2);
    expect(limiter.retryAfterSeconds('a')).toBeUndefined();
    limiter.count('a');
    expect(limiter.retryAfterSeconds('a')).toBe(60);
  });

  it('forgets the oldest window rather than hold more than maxKeys', () => {
    const limiter = minute({ maxKeys: 2 });
    spend(limiter, 'a', 3);
    limiter.count('b');
    expect(limiter.retryAfterSeconds('a')).toBe(60);

    limiter.count('c');
    expect(limiter.retryAfterSeconds('a')).toBeUndefined();
  });

  it('puts a window that starts again behind the others, so the next eviction takes an older one', () => {
    const limiter = minute({ maxKeys: 2 });
    spend(limiter, 'a', 3);
    now += 60_000;
    spend(limiter, 'b', 3);
    spend(limiter, 'a', 3);
    now += 1_000;
    limiter.count('c');
    expect(limiter.retryAfterSeconds('a')).toBe(59);
    expect(limiter.retryAfterSeconds('b')).toBeUndefined();
  });
});
