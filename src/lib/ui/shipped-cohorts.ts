/** The cohort files shipped in cohorts/, bundled as text so the browser can offer them. */
const files = import.meta.glob('/cohorts/*.yaml', {
  query: '?raw',
  import: 'default',
  eager: true
}) as Record<string, string>;

/** Cohorts that import their twins need a file the browser does not have: not offered. */
export const shippedCohorts: { file: string; text: string }[] = Object.entries(files)
  .filter(([, text]) => !/^import:/m.test(text))
  .map(([path, text]) => ({ file: path.split('/').pop()!, text }))
  .sort((a, b) => a.file.localeCompare(b.file));
