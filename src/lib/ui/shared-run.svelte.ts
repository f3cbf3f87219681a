import { analyze, type ComparisonRow, type EndpointType } from '../analysis/compare';
import type { Connector } from '../db/connector';
import type { RunRecord } from '../db/run-store';
import type { ResolvedProtocol } from '../engine/trial';
import { loadProtocol } from '../load/load-protocol';
import { SpecError, issueText } from '../spec/issues';
import { APP_VERSION } from '../version';
import { runs } from './runs.svelte';
import { decodeShareLink, encodeShareLink, selfContainedProtocolYaml, type SharedRun } from './share-link';
import { workbench } from './workbench.svelte';

/** The primary method's rows of a run's comparison: what a shared link promises to reproduce. */
export interface PrimaryResult {
  endpoint: string;
  control: string;
  method: ComparisonRow['method'];
  rows: ComparisonRow[];
}

/** A run's primary comparison for one endpoint against one control (analysis/compare.ts). */
export async function primaryResult(
  db: Connector,
  runId: number,
  endpoint: string,
  type: EndpointType,
  control: string
): Promise<PrimaryResult> {
  const c = await analyze(
    { db, path: 'this browser', runId: String(runId) },
    { name: endpoint, type },
    { control }
  );
  const arms = c.arms.map((a) => a.arm);
  return {
    endpoint,
    control: c.control,
    method: c.primary,
    // In the order of the comparison's arms (the protocol's), control first.
    rows: c.comparisons
      .filter((r) => r.method === c.primary)
      .sort((a, b) => arms.indexOf(a.arm) - arms.indexOf(b.arm))
  };
}

/** The share link fragment of a stored run, about one endpoint against one control. */
export function shareFragment(
  run: RunRecord,
  endpoint: string | null,
  control: string | null
): Promise<string> {
  const protocol = run.protocol as ResolvedProtocol;
  return encodeShareLink({
    protocol: selfContainedProtocolYaml(protocol),
    n: run.nTwins,
    seed: run.seed,
    replicates: run.replicates,
    dense: protocol.schedule?.dense ?? null,
    endpoint,
    control,
    appVersion: APP_VERSION
  });
}

/** A shared protocol is complete in itself: it names no file. */
const noFiles = (path: string): never => {
  throw new Error(`a shared protocol names no file, but this one names '${path}'`);
};

/**
 * Opening a shared link (the /open page): read it, check its protocol as the Protocols page
 * would, run it again with its own n, seed and replicates on this browser's workers, and
 * show the primary comparison of the endpoint and control it names.
 */
export class SharedRunOpener {
  shared = $state.raw<SharedRun | null>(null);
  protocol = $state.raw<ResolvedProtocol | null>(null);
  error = $state<string | null>(null);
  runId = $state<number | null>(null);
  result = $state.raw<PrimaryResult | null>(null);
  running = $state(false);

  /** Reads the link's fragment; a bad link or protocol leaves a message in `error`. */
  async open(fragment: string): Promise<void> {
    this.shared = null;
    this.protocol = null;
    this.result = null;
    this.runId = null;
    this.error = null;
    try {
      const shared = await decodeShareLink(fragment);
      this.shared = shared;
      this.protocol = loadProtocol(shared.protocol, 'shared link', noFiles);
    } catch (e) {
      const detail = e instanceof SpecError ? e.issues.map(issueText).join('; ') : (e as Error).message;
      this.error = `This link cannot be opened: ${detail}`;
    }
  }

  /**
   * Runs the shared protocol again and computes its primary comparison; `defaults` gives an
   * endpoint's analysis type and the default control from the stored run (the Compare
   * page's rules), used where the link names none.
   */
  async run(
    defaults: (run: RunRecord, endpoint: string) => { type: EndpointType; control: string }
  ): Promise<void> {
    const shared = this.shared;
    const protocol = this.protocol;
    if (!shared || !protocol || this.running) return;
    this.running = true;
    this.error = null;
    try {
      const db = await workbench.open();
      await runs.start(protocol, {
        n: shared.n,
        seed: shared.seed,
        replicates: shared.replicates,
        dense: shared.dense
      });
      const last = runs.last;
      if (last?.status !== 'complete' || last.runId === undefined) {
        this.error = `The run did not complete: ${last?.message ?? 'it was stopped'}`;
        return;
      }
      this.runId = last.runId;
      const record = runs.list.find((r) => r.runId === last.runId);
      const endpoint = shared.endpoint ?? record?.primaryEndpoint;
      if (record && endpoint) {
        const { type, control } = defaults(record, endpoint);
        this.result = await primaryResult(db, record.runId, endpoint, type, shared.control ?? control);
      }
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.running = false;
    }
  }
}
