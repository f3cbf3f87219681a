import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // A static build: the whole workbench runs in the browser, no server holds data.
    adapter: adapter({ fallback: 'index.html' })
  }
};

export default config;
