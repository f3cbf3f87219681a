import type { ImportedTable } from '../engine/cohort';
import { compileProtocol, type ResolvedProtocol } from '../engine/trial';
import { issueText, SpecError } from './issues';
import { loadCohortSpec } from './load-cohort';
import { protocolSpec, type ProtocolSpec } from './protocol-schema';
import { parseYamlSpec, withLines } from './yaml-source';

/**
 * Reads protocol YAML, resolves its cohort (a file is read through `readCohortFile`,
 * relative to the protocol) and checks the whole protocol against its cohort and model.
 * Every problem is reported with its field path and line.
 */
export function loadProtocol(
  text: string,
  file: string | undefined,
  readCohortFile: (path: string) => { text: string; file: string },
  imported?: ImportedTable
): ResolvedProtocol {
  const parsed = parseYamlSpec(text, protocolSpec, file);
  const spec: ProtocolSpec = parsed.value;
  const ref = spec.cohort;
  if ((ref.file === undefined) === (ref.spec === undefined)) {
    throw new SpecError(
      [
        {
          path: ['cohort'],
          message: 'give exactly one of cohort.file or cohort.spec',
          line: parsed.lineOf(['cohort'])
        }
      ],
      file
    );
  }
  let cohort = ref.spec;
  if (ref.file !== undefined) {
    let source;
    try {
      source = readCohortFile(ref.file);
    } catch (e) {
      // A reader's SpecError is about the whole file: its message says what is wrong.
      const reason = e instanceof SpecError ? e.issues.map(issueText).join('; ') : (e as Error).message;
      throw new SpecError(
        [
          {
            path: ['cohort', 'file'],
            message: `cannot read '${ref.file}': ${reason}`,
            line: parsed.lineOf(['cohort', 'file'])
          }
        ],
        file
      );
    }
    cohort = loadCohortSpec(source.text, source.file, imported);
  }
  const resolved = { ...spec, cohort: { ...ref, spec: cohort! }, imported } as ResolvedProtocol;
  // A cohort that imports twins is checked in full once its file has been read.
  if (cohort!.import && !imported) return resolved;
  try {
    compileProtocol(resolved);
  } catch (e) {
    throw withLines(e, parsed.lineOf, file);
  }
  return resolved;
}
