// First run: a fresh install asks no questions and `npm start` copes with a taken port.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ListenError, PORT_ATTEMPTS, serveStatic } from '../../src/cli/static-server';
import { ROOT, tempDir, twinbench } from './cli';

describe('npm install scripts', () => {
  it('every dependency with an install script is declared in package.json allowScripts', () => {
    // npm 11 warns about (and later releases block) install scripts not listed in allowScripts.
    const lock = JSON.parse(readFileSync(`${ROOT}package-lock.json`, 'utf8')) as {
      packages: Record<string, { version?: string; hasInstallScript?: boolean }>;
    };
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    const allowed = pkg.allowScripts ?? {};
    const withScripts = Object.entries(lock.packages)
      .filter(([path, p]) => path && p.hasInstallScript)
      .map(([path, p]) => ({ name: path.slice(path.lastIndexOf('node_modules/') + 13), version: p.version }));
    expect(withScripts.map((p) => p.name)).toContain('esbuild');
    const uncovered = withScripts.filter(
      (p) => allowed[p.name] === undefined && allowed[`${p.name}@${p.version}`] === undefined
    );
    expect(uncovered).toEqual([]);
  });
});

describe('serving on a taken port', () => {
  const open: { close(): unknown }[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });

  /** Occupies a free port on 127.0.0.1 and returns it. */
  async function takePort(port = 0): Promise<number> {
    const blocker: Server = createServer();
    await new Promise<void>((resolve, reject) => {
      blocker.once('error', reject);
      blocker.listen(port, '127.0.0.1', resolve);
    });
    open.push(blocker);
    return (blocker.address() as { port: number }).port;
  }

  it('the default port falls back to the next free one', async () => {
    const taken = await takePort();
    const server = await serveStatic(tempDir('serve'), taken, { tryNextPorts: true });
    open.push(server);
    expect(server.port).toBeGreaterThan(taken);
    expect(server.port).toBeLessThan(taken + PORT_ATTEMPTS);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it('a port the user chose is not replaced: a ListenError saying which port and what to do', async () => {
    const taken = await takePort();
    const error = await serveStatic(tempDir('serve'), taken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ListenError);
    expect((error as Error).message).toBe(
      `port ${taken} on 127.0.0.1 is in use; choose another with --port (0 = any free port)`
    );
  });

  it('`twinbench serve --port <taken>` exits 2 with one line, before building anything', async () => {
    const taken = await takePort();
    const r = twinbench(['serve', '--port', String(taken)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: port ${taken} on 127.0.0.1 is in use; choose another with --port (0 = any free port)\n`
    );
    expect(r.stdout).toBe('');
  });

  it('`--port` outside 0–65535 is bad input naming the allowed range', () => {
    for (const bad of ['70000', 'abc']) {
      const r = twinbench(['serve', '--port', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--port must be a whole number from 0 to 65535');
    }
  });

  it('a host that is not this machine is bad input naming the host', () => {
    const r = twinbench(['serve', '--port', '0', '--host', '203.0.113.7']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: cannot listen on 203.0.113.7: it is not an address of this machine; choose another with --host\n'
    );
  });
});
