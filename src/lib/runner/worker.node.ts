import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort } from 'node:worker_threads';
import { workerApi } from './worker-api';

// Node worker_threads entry: the worker API over comlink's node adapter.
if (!parentPort) throw new Error('worker.node.ts must run in a worker thread');
expose(workerApi, nodeEndpoint(parentPort));
