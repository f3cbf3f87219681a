import { parseDocument } from 'yaml';

/**
 * A protocol's YAML with its model replaced by a model text (`model.model: { file, text }`,
 * the text as a block scalar) and its typical-value overrides by `parameters` (none when
 * empty): the protocol then runs the model as it was previewed. The rest of the protocol
 * (its comments too) is kept; fields that name what the new model lacks are then
 * reported at their lines like any other problem. Throws when the YAML itself cannot be
 * parsed, as an edit could not keep it.
 */
export function protocolWithModelText(
  yamlText: string,
  model: { file: string; text: string },
  parameters: Readonly<Record<string, number>>
): string {
  const doc = parseDocument(yamlText);
  if (doc.errors.length)
    throw new Error(
      `the protocol's YAML cannot be read (${doc.errors[0].message.split('\n')[0]}): fix it first`
    );
  doc.setIn(['model', 'model'], doc.createNode({ file: model.file, text: model.text }));
  if (Object.keys(parameters).length) {
    const node = doc.createNode({ ...parameters });
    node.flow = true;
    doc.setIn(['model', 'parameters'], node);
  } else doc.deleteIn(['model', 'parameters']);
  return doc.toString({ lineWidth: 0 });
}
