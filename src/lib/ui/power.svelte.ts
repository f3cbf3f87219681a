import {
  listPowerStudies,
  loadPowerStudy,
  powerEstimateBins,
  powerReplicates,
  powerReplicateTable,
  powerSizeTable,
  type PowerReplicatePage,
  type PowerStudyRecord
} from '../analysis/power-studies';
import { deletePower } from '../db/power-store';
import { replicateSeed, type ResolvedProtocol } from '../engine/trial';
import { tableToCsv } from '../io/table-export';
import type { HistogramBins } from '../plots/histogram';
import { CancelledError, type WorkerPool } from '../runner/pool';
import type { PowerResult, SizePower } from '../runner/power';
import { APP_VERSION } from '../version';
import { download } from './download';
import { encodeShareLink, selfContainedProtocolYaml } from './share-link';
import { workbench } from './workbench.svelte';

export interface PowerSettings {
  /** the shipped protocol file */
  file: string;
  sizes: number[];
  replicates: number;
  alpha: number;
  delta?: number;
  targetPower?: number;
  /** every arm given the control's treatment: the rejection rate is the type I error */
  nullScenario?: boolean;
}

export interface PowerRunProgress {
  /** the size being evaluated and its replicates done */
  n: number;
  done: number;
  replicates: number;
  /** sizes finished (the target search adds sizes beyond those asked for) */
  finished: number;
  asked: number;
  started: number;
}

/** The study on screen: the one running or just run here, or one opened from the workspace. */
export interface ShownStudy {
  /** its row in the workspace; none for a study that was cancelled (its rows are deleted) */
  powerId: number | null;
  name: string;
  seed: number;
  protocol: ResolvedProtocol;
  /** the sizes asked for, and the replicates asked per size (a size with fewer is partial) */
  sizes: number[];
  replicates: number;
  alpha: number;
  delta?: number;
  targetPower?: number;
}

/** One size's replicates on screen: a page of rows and each active arm's histogram of estimates. */
export interface SizeDrill {
  n: number;
  page: PowerReplicatePage;
  bins: { arm: string; bins: HistogramBins }[];
}

/** Replicate rows shown per page of the drill-down. */
export const REPLICATES_PER_PAGE = 40;

/**
 * Power analyses in the browser: the one in progress (its partial curve fills in as
 * replicate waves finish), the study on screen, and the studies stored in the workspace
 * (a study writes its rows to the workspace database as a run does, so it survives a
 * reload). Kept out of the page so an analysis goes on while the user looks at other
 * pages. It runs on a worker pool of its own, so it never competes with a trial run for
 * the workbench's.
 */
export class PowerRuns {
  settings = $state.raw<PowerSettings | null>(null);
  /** sizes as far as they have run: the curve drawn while running, and kept after a cancel */
  sizes = $state.raw<SizePower[]>([]);
  result = $state.raw<PowerResult | null>(null);
  study = $state.raw<ShownStudy | null>(null);
  progress = $state<PowerRunProgress | null>(null);
  message = $state<string | null>(null);
  studies = $state.raw<PowerStudyRecord[]>([]);
  drill = $state.raw<SizeDrill | null>(null);
  private controller: AbortController | null = null;
  /** Answers that arrive after a newer request are dropped (a quick second click). */
  private drillRequest = 0;

  get running(): boolean {
    return this.progress !== null;
  }

  async refreshStudies(): Promise<void> {
    const db = workbench.db ?? (await workbench.open());
    this.studies = await listPowerStudies(db);
  }

  async start(protocol: ResolvedProtocol, settings: PowerSettings): Promise<void> {
    if (this.progress) return;
    const [{ runPower }, { browserWorkerPool }] = await Promise.all([
      import('../runner/power'),
      import('../runner/browser-workers')
    ]);
    const db = workbench.db ?? (await workbench.open());
    const pool: WorkerPool = browserWorkerPool();
    this.controller = new AbortController();
    this.settings = settings;
    this.sizes = [];
    this.result = null;
    this.drill = null;
    this.message = null;
    this.study = {
      powerId: null,
      name: protocol.name,
      seed: protocol.seed,
      protocol,
      sizes: settings.sizes,
      replicates: settings.replicates,
      alpha: settings.alpha,
      delta: settings.delta,
      targetPower: settings.targetPower
    };
    this.progress = {
      n: Math.min(...settings.sizes),
      done: 0,
      replicates: settings.replicates,
      finished: 0,
      asked: settings.sizes.filter((n, i, all) => all.indexOf(n) === i).length,
      started: performance.now()
    };
    try {
      this.result = await runPower({
        db,
        pool,
        protocol,
        sizes: settings.sizes,
        replicates: settings.replicates,
        alpha: settings.alpha,
        delta: settings.delta,
        targetPower: settings.targetPower,
        nullScenario: settings.nullScenario,
        signal: this.controller.signal,
        onProgress: (u) => {
          this.sizes = u.sizes;
          if (this.progress) {
            this.progress = {
              ...this.progress,
              n: u.n,
              done: u.done,
              finished: u.sizes.length - (u.done < u.total ? 1 : 0)
            };
          }
        }
      });
      this.sizes = this.result.sizes;
      // The study as stored: the null scenario's protocol when it ran one (what a replicate re-runs).
      const stored = await loadPowerStudy(db, this.result.powerId!);
      this.study = {
        ...this.study,
        powerId: this.result.powerId!,
        protocol: stored.protocol as ResolvedProtocol
      };
    } catch (e) {
      this.message =
        e instanceof CancelledError
          ? 'Cancelled: the sizes run so far stay on screen (partial ones marked), but the study is not kept.'
          : e instanceof Error
            ? e.message
            : String(e);
    } finally {
      pool.terminate();
      this.progress = null;
      this.controller = null;
      // Move the study from duckdb-wasm's write-ahead log into the OPFS database file.
      await db.exec('CHECKPOINT').catch(() => {});
      await this.refreshStudies().catch(() => {});
    }
  }

  cancel(): void {
    this.controller?.abort();
  }

  /** Shows a stored study's table and plots again. */
  async open(powerId: number): Promise<void> {
    if (this.progress) return;
    this.message = null;
    this.drill = null;
    try {
      const db = workbench.db ?? (await workbench.open());
      const s = await loadPowerStudy(db, powerId);
      this.settings = null;
      this.result = s.result;
      this.sizes = s.result.sizes;
      this.study = {
        powerId: s.record.powerId,
        name: s.record.name,
        seed: s.seed,
        protocol: s.protocol as ResolvedProtocol,
        sizes: s.record.sizes,
        replicates: s.record.replicates ?? Math.max(...s.result.sizes.map((x) => x.replicates)),
        alpha: s.record.alpha,
        delta: s.record.delta ?? undefined,
        targetPower: s.result.sampleSize?.target
      };
    } catch (e) {
      this.message = e instanceof Error ? e.message : String(e);
    }
  }

  /** Deletes a stored study (the page asks first); the study on screen is cleared if it was this one. */
  async remove(powerId: number): Promise<void> {
    const db = workbench.db ?? (await workbench.open());
    try {
      await deletePower(db, powerId);
      await db.exec('CHECKPOINT').catch(() => {});
    } catch (e) {
      this.message = `Power study #${powerId} could not be deleted: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (this.study?.powerId === powerId) {
      this.study = null;
      this.result = null;
      this.sizes = [];
      this.drill = null;
    }
    await this.refreshStudies();
  }

  /** Shows one size's replicates (from `offset`): a page of rows and each arm's histogram. */
  async openSize(n: number, offset = 0): Promise<void> {
    const powerId = this.study?.powerId;
    if (powerId == null) return;
    const request = ++this.drillRequest;
    try {
      const db = workbench.db ?? (await workbench.open());
      const arms = this.sizes.find((s) => s.n === n)?.arms.map((a) => a.arm) ?? [];
      const page = await powerReplicates(db, powerId, n, { offset, limit: REPLICATES_PER_PAGE, arms });
      const bins =
        this.drill?.n === n
          ? this.drill.bins
          : await Promise.all(
              arms.map(async (arm) => ({ arm, bins: await powerEstimateBins(db, powerId, n, arm) }))
            );
      if (request === this.drillRequest) this.drill = { n, page, bins };
    } catch (e) {
      this.message = e instanceof Error ? e.message : String(e);
    }
  }

  closeSize(): void {
    this.drillRequest++;
    this.drill = null;
  }

  /** The per-size table on screen as CSV (partial sizes marked). */
  exportSizes(): void {
    const s = this.study;
    if (!s) return;
    download(
      `power-${s.powerId ?? 'cancelled'}-sizes.csv`,
      tableToCsv(powerSizeTable(this.sizes, s.replicates)),
      'text/csv'
    );
  }

  /** Every replicate row of the stored study on screen as CSV. */
  async exportReplicates(): Promise<void> {
    const powerId = this.study?.powerId;
    if (powerId == null) return;
    const db = workbench.db ?? (await workbench.open());
    download(
      `power-${powerId}-replicates.csv`,
      tableToCsv(await powerReplicateTable(db, powerId)),
      'text/csv'
    );
  }

  /**
   * The /open link that runs replicate r at n twins as a trial of its own: by the
   * determinism contract it is the run with seed replicateSeed(seed, r), one replicate.
   */
  async replicateLink(n: number, replicate: number): Promise<string> {
    const s = this.study;
    if (!s) throw new Error('no power study on screen');
    const primary = s.protocol.endpoints.find((e) => e.primary) ?? s.protocol.endpoints[0];
    const fragment = await encodeShareLink({
      protocol: selfContainedProtocolYaml(s.protocol),
      n,
      seed: replicateSeed(s.seed, replicate),
      replicates: 1,
      dense: null,
      endpoint: primary?.name ?? null,
      control: this.result?.control ?? null,
      appVersion: APP_VERSION
    });
    return `/open#${fragment}`;
  }
}

export const powerRuns = new PowerRuns();
