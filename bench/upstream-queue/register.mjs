// `node --import ./bench/upstream-queue/register.mjs …` runs postgres.js 3.4.9 with its own
// queue.js instead of the patched one, so a benchmark can show the drift the patch removes.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
