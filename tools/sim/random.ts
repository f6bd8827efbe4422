/**
 * A seeded random source (mulberry32): the same --seed picks the same customers, sentences,
 * leaks and unhappy residents. (Faults and timings still vary from run to run: they depend on
 * the order in which requests happen to arrive.)
 */
export interface Random {
  /** a number in [0, 1) */
  next(): number;
  /** an integer in [0, n) */
  int(n: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
  /** an independent stream, so that adding draws in one place does not move the others */
  fork(label: string): Random;
}

export function seeded(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    fork: (label) => seeded(hash(`${seed}:${label}`)),
  };
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
