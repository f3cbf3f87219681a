import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.yaml': 'text/yaml; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8'
};

/** How many ports after the first one `tryNextPorts` tries before giving up. */
export const PORT_ATTEMPTS = 20;

/** The server could not listen: the port is taken, not allowed, or the host is not this machine's. */
export class ListenError extends Error {}

export interface ServeOptions {
  host?: string;
  /** Try the following ports when `port` is in use (for the default port, not a port the user chose). */
  tryNextPorts?: boolean;
}

/**
 * A minimal static file server for the built workbench: the app is a single-page app,
 * so unknown paths fall back to index.html. Nothing but files leaves this machine.
 */
export async function serveStatic(root: string, port: number, options: ServeOptions = {}) {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = normalize(join(root, decodeURIComponent(url.pathname)));
    let file =
      path.startsWith(root) && existsSync(path) && statSync(path).isFile() ? path : join(root, 'index.html');
    if (!existsSync(file)) file = join(root, 'index.html');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': file.includes('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache'
    });
    createReadStream(file).pipe(res);
  });
  const last = options.tryNextPorts && port !== 0 ? Math.min(port + PORT_ATTEMPTS - 1, 65535) : port;
  for (let p = port; ; p++) {
    const error = await listen(server, p, host);
    if (!error) break;
    if (error.code !== 'EADDRINUSE' || p >= last) {
      server.close();
      throw new ListenError(listenMessage(error, p, port, host));
    }
  }
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${address.port}/`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A browser's keep-alive connections would otherwise hold the server open.
        server.closeAllConnections();
      })
  };
}

/** Listens on one port; resolves with the error instead of throwing it, so the caller can try the next. */
function listen(server: Server, port: number, host: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      resolve(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(undefined);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Says why listening on `port` failed; `first` is the port asked for (several were tried when they differ). */
function listenMessage(e: NodeJS.ErrnoException, port: number, first: number, host: string): string {
  switch (e.code) {
    case 'EADDRINUSE':
      return port === first
        ? `port ${port} on ${host} is in use; choose another with --port (0 = any free port)`
        : `ports ${first}–${port} on ${host} are all in use; choose one with --port (0 = any free port)`;
    case 'EACCES':
      return `not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges); choose another with --port`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `cannot listen on ${host}: it is not an address of this machine; choose another with --host`;
    default:
      return `cannot listen on port ${port} on ${host}: ${e.message}`;
  }
}
