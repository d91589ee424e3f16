/**
 * Checks that the patched postgres.js queue answers exactly as the published one (same shifts,
 * removes and lengths) over a million random operations; the patch changes only its cost.
 *   npx tsx bench/upstream-queue/equivalence.ts
 */
// @ts-expect-error postgres.js ships no types for its internals
import Patched from '../../node_modules/postgres/src/queue.js';
// @ts-expect-error the published copy has no types either
import Published from './queue.js';

interface Queue {
  length: number;
  push(x: object): object;
  shift(): object | undefined;
  remove(x: object): object | null;
}

let seed = 1;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

for (let run = 0; run < 200; run++) {
  const a: Queue = Patched();
  const b: Queue = Published();
  const live: object[] = [];
  for (let step = 0; step < 5000; step++) {
    const r = random();
    if (r < 0.5) {
      const item = { step };
      a.push(item);
      b.push(item);
      live.push(item);
    } else if (r < 0.8 && b.length) {
      const item = b.shift()!;
      if (a.shift() !== item) throw new Error(`run ${run}, step ${step}: shift differs`);
      live.splice(live.indexOf(item), 1);
    } else {
      // Mostly a queued item, sometimes one that never was.
      const item = live.length && random() < 0.8 ? live[Math.floor(random() * live.length)]! : {};
      const removed = b.remove(item);
      if (a.remove(item) !== removed) throw new Error(`run ${run}, step ${step}: remove differs`);
      if (removed) live.splice(live.indexOf(removed), 1);
    }
    if (a.length !== b.length) throw new Error(`run ${run}, step ${step}: length ${a.length} ≠ ${b.length}`);
  }
}
console.log('the patched queue answers as the published one over 1,000,000 random operations');
