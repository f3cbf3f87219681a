/**
 * The known name closest to a misspelt one (Levenshtein distance), offered in "unknown
 * name" messages; none when nothing is close (a third of the name's length, at least 1;
 * names of one or two letters only when they differ in case).
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  // One edit turns any one-letter name into any other: short names get no guesses.
  const limit = name.length < 3 ? 0 : Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const k of known) {
    if (Math.abs(k.length - name.length) >= bestDistance) continue;
    const d =
      editDistance(name.toLowerCase(), k.toLowerCase()) +
      (k === name ? 0 : k.toLowerCase() === name.toLowerCase() ? 0.5 : 0);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
