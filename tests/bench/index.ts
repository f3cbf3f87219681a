/**
 * `npm run bench -- <name> [args]`: runs tests/bench/<name>.ts in its own process, so
 * one benchmark's JIT state and heap never colour another's figures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const here = new URL('.', import.meta.url).pathname;
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !/Setup|setup/.test(f))
  .map((f) => f.replace(/\.ts$/, ''));
const [name, ...args] = process.argv.slice(2);
if (!name || !existsSync(`${here}${name}.ts`)) {
  process.stderr.write(`usage: npm run bench -- <${available.join('|')}> [args]\n`);
  process.exit(2);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', `${here}${name}.ts`, ...args], {
  stdio: 'inherit'
});
process.exit(result.status ?? 1);
