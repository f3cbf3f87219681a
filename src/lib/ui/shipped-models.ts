/** The model texts shipped in models/, bundled so shipped protocols can name them in the browser. */
const files = import.meta.glob('/models/*.model', {
  query: '?raw',
  import: 'default',
  eager: true
}) as Record<string, string>;

export const shippedModels: { file: string; text: string }[] = Object.entries(files)
  .map(([path, text]) => ({ file: path.split('/').pop()!, text }))
  .sort((a, b) => a.file.localeCompare(b.file));
