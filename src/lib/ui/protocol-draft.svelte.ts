import { isSeq, parseDocument, type Document } from 'yaml';
import type { ResolvedProtocol } from '../engine/trial';
import { rebalanceAllocation, type AllocationFields } from './rebalance-allocation';
import { checkSpec, SpecDraft } from './spec-draft.svelte';
import { loadShippedProtocol, shippedProtocols } from './shipped-protocols';

const DEFAULT = 'antihypertensive-dose-ranging.yaml';

/**
 * The protocol being edited on the Protocols page, kept while the user visits other
 * pages (the Models page's "use in a protocol" puts its model text here): its text,
 * the protocol it makes or its problems, the last valid protocol for the form, the
 * protocols saved in the workspace, and edits made through the form.
 */
export class ProtocolDraft extends SpecDraft<ResolvedProtocol> {
  /** What removing an arm changed in the allocation, or what the user must change. */
  allocationNote = $state<{ text: string; problem: boolean } | null>(null);

  constructor() {
    super('protocol', (text, file) => checkSpec(() => loadShippedProtocol(text, file)));
    this.pick(shippedProtocols.find((p) => p.file === DEFAULT)?.file ?? shippedProtocols[0]?.file ?? '');
  }

  /** Starts again from a shipped protocol. */
  pick(file: string): void {
    this.openShipped(file, shippedProtocols.find((p) => p.file === file)?.text ?? '');
    this.allocationNote = null;
  }

  /**
   * Applies an edit to the YAML document, keeping comments and layout; refused (false)
   * while the text is not YAML, since the form then shows a stale protocol.
   */
  edit(change: (doc: Document) => void): boolean {
    const doc = parseDocument(this.text);
    if (doc.errors.length) return false;
    change(doc);
    this.text = doc.toString();
    return true;
  }

  /** Removes arm i, rebalancing the allocation ratio and block size (rebalanceAllocation). */
  removeArm(i: number): void {
    this.edit((doc) => {
      const arms = doc.get('arms');
      if (!isSeq(arms) || i >= arms.items.length) return;
      const allocation = (doc.get('allocation') as { toJSON?: () => unknown } | undefined)?.toJSON?.() as
        AllocationFields | undefined;
      const next = rebalanceAllocation(allocation ?? {}, arms.items.length, i);
      doc.deleteIn(['arms', i]);
      if (next.ratio) {
        const ratio = doc.createNode(next.ratio);
        ratio.flow = true;
        doc.setIn(['allocation', 'ratio'], ratio);
      }
      if (next.blockSize !== undefined) doc.setIn(['allocation', 'blockSize'], next.blockSize);
      const said = [...next.changes, ...(next.problem ? [next.problem] : [])];
      this.allocationNote = said.length
        ? { text: `Removed arm ${i + 1}: ${said.join('; ')}.`, problem: next.problem !== undefined }
        : null;
    });
  }
}

export const protocolDraft = new ProtocolDraft();
