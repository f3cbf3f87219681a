import type { SpecPath } from '../../spec/issues';
import type { ProtocolSpec } from '../../spec/protocol-schema';
import type { Dropout } from './dropout-time';

/** The protocol's dropout as a hazard per hour, its informative output resolved. */
export function compileDropout(
  protocol: ProtocolSpec,
  outputIndex: (name: string, path: SpecPath) => number
): Dropout | undefined {
  const d = protocol.dropout;
  if (!d) return undefined;
  const dropout: Dropout = { rate: d.per ? d.rate / d.per : d.rate };
  if (d.informative) {
    const o = outputIndex(d.informative.variable, ['dropout', 'informative', 'variable']);
    dropout.informative = { output: o, coefficient: d.informative.coefficient };
  }
  return dropout;
}
