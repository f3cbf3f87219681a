import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { buildIfNeeded } from '../../src/cli/commands/serve';
import { serveStatic } from '../../src/cli/static-server';
import { CHROMIUM } from './browser';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    chromium: boolean;
  }
}

/** Builds the app if needed and serves it on a free localhost port for the e2e suite. */
export default async function setup(project: TestProject) {
  const chromium = existsSync(CHROMIUM);
  project.provide('chromium', chromium);
  if (!chromium) {
    console.warn(
      `\n[e2e] ${CHROMIUM} not found: browser tests are skipped (install Debian's chromium; CI does).\n`
    );
    project.provide('baseUrl', '');
    return;
  }
  buildIfNeeded();
  const server = await serveStatic(new URL('../../build', import.meta.url).pathname, 0);
  project.provide('baseUrl', server.url);
  return () => server.close();
}
