import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { newestMtime } from '../../lib/node/newest-mtime';
import { ListenError, serveStatic } from '../static-server';
import { action, UsageError } from '../errors';
import { SIGNAL_EXIT_CODES } from '../interrupt';

const ROOT = new URL('../../../', import.meta.url).pathname;
const BUILD = join(ROOT, 'build');

/** Builds the static app when there is no build or the sources are newer than it. */
export function buildIfNeeded(): void {
  const index = join(BUILD, 'index.html');
  const stale =
    !existsSync(index) ||
    statSync(index).mtimeMs <
      newestMtime(...['src', 'static', 'cohorts', 'protocols', 'models'].map((dir) => join(ROOT, dir)));
  if (!stale) return;
  process.stderr.write('building the workbench (vite build)…\n');
  const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('vite build failed');
}

/** The port `npm start` uses; when it is taken the next free one is used instead. */
export const DEFAULT_PORT = 4173;

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new InvalidArgumentError('--port must be a whole number from 0 to 65535 (0 = any free port)');
  return n;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('build the workbench if needed and serve it on localhost')
    .option('--port <port>', `port (default ${DEFAULT_PORT}, or the next free one; 0 = any free port)`, port)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .action(
      action(async (options: { port?: number; host: string }) => {
        // Listen before building, so a taken port is reported at once; requests wait for the build.
        const server = await serveStatic(BUILD, options.port ?? DEFAULT_PORT, {
          host: options.host,
          tryNextPorts: options.port === undefined
        }).catch((e: unknown) => {
          throw e instanceof ListenError ? new UsageError(e.message) : e;
        });
        if (options.port === undefined && server.port !== DEFAULT_PORT)
          process.stderr.write(`port ${DEFAULT_PORT} is in use; using ${server.port}\n`);
        try {
          buildIfNeeded();
        } catch (e) {
          await server.close();
          throw e;
        }
        process.stdout.write(`Twinbench is running at ${server.url}  (Ctrl+C to stop)\n`);
        // A server runs until stopped: the signal ends it with 128 + its number, as for every command.
        const signal = await new Promise<keyof typeof SIGNAL_EXIT_CODES>((resolve) => {
          for (const s of Object.keys(SIGNAL_EXIT_CODES) as (keyof typeof SIGNAL_EXIT_CODES)[])
            process.once(s, () => resolve(s));
        });
        await server.close();
        process.exitCode = SIGNAL_EXIT_CODES[signal];
      })
    );
}
