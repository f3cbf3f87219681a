import { shippedProtocols } from './shipped-protocols';

const DEFAULT = 'antihypertensive-dose-ranging.yaml';

/**
 * The protocol being edited on the Protocols page, kept while the user visits other
 * pages: the Models page's "use in a protocol" puts its model text here.
 */
export class ProtocolDraft {
  file = $state(shippedProtocols.find((p) => p.file === DEFAULT)?.file ?? shippedProtocols[0]?.file ?? '');
  text = $state('');

  constructor() {
    this.text = shippedProtocols.find((p) => p.file === this.file)?.text ?? '';
  }

  /** Starts again from a shipped protocol. */
  pick(file: string): void {
    this.file = file;
    this.text = shippedProtocols.find((p) => p.file === file)?.text ?? '';
  }
}

export const protocolDraft = new ProtocolDraft();
