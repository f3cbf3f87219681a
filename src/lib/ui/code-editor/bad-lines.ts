import { RangeSet, StateEffect, StateField } from '@codemirror/state';
import { GutterMarker, lineNumberMarkers } from '@codemirror/view';

/** The line number of a line with a problem, shown in red (class `bad`). */
class BadLineMarker extends GutterMarker {
  elementClass = 'bad';
}
const marker = new BadLineMarker();

/** Replaces the set of lines with problems (1-based line numbers). */
export const setBadLines = StateEffect.define<readonly number[]>();

/** The lines with problems, moved along with edits until the next set replaces them. */
export const badLines = StateField.define<RangeSet<GutterMarker>>({
  create: () => RangeSet.empty,
  update(markers, tr) {
    for (const e of tr.effects)
      if (e.is(setBadLines)) {
        const doc = tr.state.doc;
        const starts = [...new Set(e.value)]
          .filter((l) => l >= 1 && l <= doc.lines)
          .sort((a, b) => a - b)
          .map((l) => marker.range(doc.line(l).from));
        return RangeSet.of(starts);
      }
    return markers.map(tr.changes);
  },
  provide: (field) => lineNumberMarkers.from(field)
});
