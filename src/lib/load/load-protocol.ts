import { calibratedCohortSpec } from '../engine/calibration/calibrated-cohort';
import type { ImportedTable } from '../engine/cohort';
import { compileProtocol, type ResolvedProtocol } from '../engine/trial';
import type { ModelSpec } from '../engine/models';
import { formatPath, issueText, SpecError, type SpecPath } from '../spec/issues';
import { loadCohortSpec } from './load-cohort';
import { protocolSpec, type ProtocolSpec } from '../spec/protocol-schema';
import { parseYamlSpec, withLines } from '../spec/yaml-source';

/** What a protocol names by file: its cohort spec or a model text. */
export type ProtocolFileKind = 'cohort' | 'model';

/**
 * Reads a file a protocol names (the path as written there), returning its text and the
 * name its problems are reported under. Throws (a SpecError about the whole file, or any
 * Error) when the file cannot be read.
 */
export type ProtocolFileReader = (path: string, kind: ProtocolFileKind) => { text: string; file: string };

/**
 * Reads protocol YAML, resolves its cohort and model files (read through `readFile`,
 * relative to the protocol) and checks the whole protocol against its cohort and model.
 * A cohort that imports twins, or one of calibrated patients (`cohort.calibration`), is
 * checked in full when `imported` holds its file's table (the import, or the fits file).
 * Every problem is reported with its field path and line; a model file's problems with
 * the model file's line:col under the field that named it. The result carries every
 * model file's text, so a run's recorded protocol is complete in itself.
 */
export function loadProtocol(
  text: string,
  file: string | undefined,
  readFile: ProtocolFileReader,
  imported?: ImportedTable
): ResolvedProtocol {
  const parsed = parseYamlSpec(text, protocolSpec, file);
  const spec: ProtocolSpec = parsed.value;
  const ref = spec.cohort;
  if ([ref.file, ref.spec, ref.calibration].filter((x) => x !== undefined).length !== 1) {
    throw new SpecError(
      [
        {
          path: ['cohort'],
          message: 'give exactly one of cohort.file, cohort.spec or cohort.calibration',
          line: parsed.lineOf(['cohort'])
        }
      ],
      file
    );
  }
  const read = (path: string, kind: ProtocolFileKind, at: SpecPath) => {
    try {
      return readFile(path, kind);
    } catch (e) {
      // A reader's SpecError is about the whole file: its message says what is wrong.
      const reason = e instanceof SpecError ? e.issues.map(issueText).join('; ') : (e as Error).message;
      throw new SpecError(
        [{ path: at, message: `cannot read '${path}': ${reason}`, line: parsed.lineOf(at) }],
        file
      );
    }
  };
  let cohort = ref.calibration ? calibratedCohortSpec(ref.calibration, ref.n, imported?.rows) : ref.spec;
  if (ref.file !== undefined) {
    const source = read(ref.file, 'cohort', ['cohort', 'file']);
    cohort = loadCohortSpec(source.text, source.file, imported);
  }
  // Model files read into their text; their problems then belong to the field naming the file.
  const fromFile: SpecPath[] = [];
  const withText = <M extends ModelSpec>(model: M, at: SpecPath): M => {
    const m = model.model;
    if (typeof m === 'string' || m.text !== undefined) return model;
    const source = read(m.file!, 'model', [...at, 'model', 'file']);
    fromFile.push([...at, 'model']);
    return { ...model, model: { file: source.file, text: source.text } };
  };
  const model = withText(spec.model, ['model']);
  const companion = spec.companion && {
    ...spec.companion,
    model: withText(spec.companion.model, ['companion', 'model'])
  };
  const resolved = {
    ...spec,
    model,
    ...(companion ? { companion } : {}),
    cohort: { ...ref, spec: cohort! },
    imported
  } as ResolvedProtocol;
  // A cohort that imports twins is checked in full once its file has been read.
  if (cohort!.import && !imported) return resolved;
  try {
    compileProtocol(resolved);
  } catch (e) {
    const named = (path: SpecPath) =>
      fromFile.some((f) => formatPath(f) === formatPath(path)) ? [...path, 'file'] : path;
    throw withLines(
      e instanceof SpecError ? e.with((i) => ({ ...i, path: named(i.path) })) : e,
      parsed.lineOf,
      file
    );
  }
  return resolved;
}
