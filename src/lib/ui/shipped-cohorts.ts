/** The cohort files shipped in cohorts/, bundled as text so the browser can offer them. */
const files = import.meta.glob('/cohorts/*.yaml', {
  query: '?raw',
  import: 'default',
  eager: true
}) as Record<string, string>;

export const shippedCohorts: { file: string; text: string }[] = Object.entries(files)
  .map(([path, text]) => ({ file: path.split('/').pop()!, text }))
  .sort((a, b) => a.file.localeCompare(b.file));
