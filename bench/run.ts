/**
 * `npm run bench`: the whole suite (bench/suite.ts), or with a scenario name first a single
 * quick load (bench/quick.ts): `npm run bench -- orders 10 32`.
 */
import { scenarios } from './scenarios';

const first = process.argv[2];
if (first && (first === 'all' || first in scenarios)) await import('./quick');
else await import('./suite');
