import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMPARISON_METHODS, METHOD_NAMES } from '../../../../src/lib/analysis/compare-method-names';
import { PRIMARY_CANDIDATES, RATIO_METHODS } from '../../../../src/lib/analysis/compare-types';
import { primaryMethodFor } from '../../../../src/lib/analysis/replicate-analysis';
import { HELP_SECTIONS, helpAnchors } from '../../../../src/lib/ui/help/help-sections';
import { REPEATED_METHODS } from '../../../../src/lib/analysis/repeated-analysis';
import {
  methodHelpAnchor,
  methodHelpHref,
  repeatedHelpAnchor
} from '../../../../src/lib/ui/help/method-help-anchor';
import { STAT_METHODS } from '../../../../src/lib/ui/help/stat-methods';

const ROUTE = new URL('../../../../src/routes/help/', import.meta.url).pathname;

/** The literal id="…" attributes of the Help page's markup (the statistics sections are generated). */
function literalIds(): Set<string> {
  const ids = new Set<string>();
  for (const f of readdirSync(ROUTE).filter((n) => n.endsWith('.svelte')))
    for (const m of readFileSync(ROUTE + f, 'utf8').matchAll(/\bid="([^"{}]+)"/g)) ids.add(m[1]);
  return ids;
}

describe('Help page anchors', () => {
  const anchors = helpAnchors();

  it('every comparison method the compare layer can produce links to a section of the help page', () => {
    // Every method named anywhere in the compare layer's own lists is one METHOD_NAMES knows.
    const named = new Set<string>([...Object.values(PRIMARY_CANDIDATES).flat(), ...RATIO_METHODS]);
    // …and so is the primary method of a power study's replicates, which the Power page names.
    for (const type of ['continuous', 'responder', 'tte']) named.add(primaryMethodFor(type));
    for (const m of named) expect(COMPARISON_METHODS).toContain(m);
    expect(COMPARISON_METHODS.length).toBe(19);
    for (const method of COMPARISON_METHODS) {
      const anchor = methodHelpAnchor(method);
      expect(anchor, `${method} (${METHOD_NAMES[method]}) has no help section`).not.toBeNull();
      expect(anchors).toContain(anchor);
      expect(methodHelpHref(method)).toBe(`/help#${anchor}`);
    }
  });

  it('every repeated-measures analysis (analyze --type repeated, power) has its section too', () => {
    for (const method of REPEATED_METHODS) {
      const anchor = repeatedHelpAnchor(method);
      expect(anchor, `${method} has no help section`).not.toBeNull();
      expect(anchors).toContain(anchor);
    }
    const explained = STAT_METHODS.flatMap((s) => s.repeated ?? []);
    expect(new Set(explained).size).toBe(explained.length);
  });

  it('every method is explained in exactly one section', () => {
    const explained = STAT_METHODS.flatMap((s) => s.methods);
    expect(new Set(explained).size).toBe(explained.length);
    expect([...explained].sort()).toEqual([...COMPARISON_METHODS].sort());
  });

  it('anchors are unique, and each one the markup writes literally is there', () => {
    expect(new Set(anchors).size).toBe(anchors.length);
    const statistics = new Set(STAT_METHODS.map((m) => m.id));
    const ids = literalIds();
    for (const a of anchors) if (!statistics.has(a)) expect(ids, `#${a}`).toContain(a);
    // and no section of the markup is missing from the table of contents
    for (const id of ids) if (!id.endsWith('-title')) expect(anchors, `id="${id}"`).toContain(id);
  });

  it('the table of contents starts with what a twin is and lists every statistical method under statistics', () => {
    expect(HELP_SECTIONS[0].id).toBe('twins');
    const stats = HELP_SECTIONS.find((s) => s.id === 'statistics');
    expect(stats?.children?.map((c) => c.id)).toEqual(STAT_METHODS.map((m) => m.id));
  });

  it('every statistical section states its assumptions, a reference and the R call behind it', () => {
    for (const m of STAT_METHODS) {
      expect(m.assumptions.length, m.id).toBeGreaterThan(20);
      expect(m.reference, m.id).toMatch(/(19|20)\d\d/);
      expect(m.r.length, m.id).toBeGreaterThan(5);
    }
  });
});
