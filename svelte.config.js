import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // A static build: the whole workbench runs in the browser, no server holds data.
    adapter: adapter({ fallback: 'index.html' }),
    // Nothing the app loads or sends may leave its origin. SvelteKit writes this policy
    // into every page as a <meta http-equiv> tag, with the hashes of its own inline
    // scripts (a static host sends no headers we control). Each exception says why:
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        // duckdb-wasm compiles WebAssembly ('wasm-unsafe-eval'); model texts are compiled
        // to JavaScript with new Function ('unsafe-eval', docs/ARCHITECTURE.md "Model texts").
        'script-src': ['self', 'wasm-unsafe-eval', 'unsafe-eval'],
        // The worker pool and duckdb-wasm's worker are bundled files; blob: for workers a
        // library builds from its own code.
        'worker-src': ['self', 'blob:'],
        // Observable Plot, CodeMirror and Svelte set style attributes and <style> elements.
        'style-src': ['self', 'unsafe-inline'],
        // Chart exports draw an SVG into an image (data:/blob:) before making a PNG.
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self'],
        // fetch of the bundled wasm and of files the user picks (blob:).
        'connect-src': ['self', 'blob:', 'data:'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self']
      }
    }
  }
};

export default config;
