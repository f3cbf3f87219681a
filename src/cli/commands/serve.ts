import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { newestMtime } from '../../lib/node/newest-mtime';
import { serveStatic } from '../static-server';
import { action, nonNegativeInt } from '../errors';

const ROOT = new URL('../../../', import.meta.url).pathname;
const BUILD = join(ROOT, 'build');

/** Builds the static app when there is no build or the sources are newer than it. */
export function buildIfNeeded(): void {
  const index = join(BUILD, 'index.html');
  const stale =
    !existsSync(index) ||
    statSync(index).mtimeMs <
      newestMtime(...['src', 'static', 'cohorts', 'protocols'].map((dir) => join(ROOT, dir)));
  if (!stale) return;
  process.stderr.write('building the workbench (vite build)…\n');
  const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('vite build failed');
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('build the workbench if needed and serve it on localhost')
    .option('--port <port>', 'port (0 = any free port)', nonNegativeInt('--port'), 4173)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .action(
      action(async (options: { port: number; host: string }) => {
        buildIfNeeded();
        const server = await serveStatic(BUILD, options.port, options.host);
        process.stdout.write(`Twinbench is running at ${server.url}  (Ctrl+C to stop)\n`);
        await new Promise<void>((resolve) => process.once('SIGINT', () => server.close().then(resolve)));
      })
    );
}
