// The workbench is a single-page app: everything runs client-side (duckdb-wasm, workers).
export const ssr = false;
export const prerender = false;
