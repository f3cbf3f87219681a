#!/usr/bin/env node
// The `twinbench` command. The CLI is TypeScript run through tsx's loader, so the
// library code is the very same source the browser build uses.
import { register } from 'tsx/esm/api';

register();
await import(/* @vite-ignore */ new URL('./main.ts', import.meta.url).href);
