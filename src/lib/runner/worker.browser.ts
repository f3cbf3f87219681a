import { expose } from 'comlink';
import { workerApi } from './worker-api';

// Browser Web Worker entry: the worker API over comlink's postMessage transport.
expose(workerApi);
