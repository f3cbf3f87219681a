import { SvelteMap } from 'svelte/reactivity';
import type { Connector } from '../db/connector';
import { deleteModel, listModels, saveModel, type SavedModel } from '../db/model-store';
import {
  compileModelText,
  ModelLanguageError,
  type CompiledModel,
  type Diagnostic
} from '../engine/model-language';
import { parseModel } from '../engine/model-language/parse-model';
import { SourceText } from '../engine/model-language/source-text';
import {
  checkedTypicalProfile,
  parameterValues,
  type TypicalProfile
} from '../engine/model-language/typical-profile';
import { previewTimes, readRegimen, type RegimenFields } from './model-preview';
import { protocolDraft } from './protocol-draft.svelte';
import { protocolWithModelText } from './protocol-model';
import { shippedModels } from './shipped-models';
import { workbench } from './workbench.svelte';

const DEFAULT = 'pk1cmt_oral_emax.model';
/** Texts up to this many characters (a long model is a few kB) are checked on every change. */
const CHECK_AT_ONCE = 20_000;
const CHECK_PAUSE_MS = 300;

export interface ModelPreview {
  times: Float64Array;
  profile: TypicalProfile;
  doseTimes: number[];
}

/**
 * The Models page's workflow: a model text being edited (from a shipped model, a saved
 * one or typed), its problems as the user types (the checker runs in the page), the
 * parameter values set by the sliders, the dose regimen, the typical profile, and the
 * models saved with the workspace. One instance, so the work survives a visit to
 * another page.
 */
export class ModelsState {
  #text = $state('');
  /** The text checked: the text itself, or for a long one its version when typing paused. */
  #checkedText = $state('');
  #timer: ReturnType<typeof setTimeout> | undefined;

  get text(): string {
    return this.#text;
  }

  /**
   * Checking a long text takes a noticeable time (about 1 ms per kB), so a long text is
   * checked once typing pauses rather than on every key.
   */
  set text(value: string) {
    this.#text = value;
    clearTimeout(this.#timer);
    if (value.length <= CHECK_AT_ONCE) this.#checkedText = value;
    else this.#timer = setTimeout(() => (this.#checkedText = value), CHECK_PAUSE_MS);
  }
  /** Where the text came from: a shipped file or a saved model's name. */
  source = $state<{ kind: 'shipped' | 'saved'; name: string }>({ kind: 'shipped', name: DEFAULT });
  /** Typical values set by the sliders, by parameter name (those the model lacks are ignored). */
  readonly values = new SvelteMap<string, number>();
  regimen = $state<RegimenFields>({
    amount: '100',
    every: '24h',
    count: '7',
    target: '',
    infusion: '',
    horizon: '10d'
  });
  saved = $state.raw<SavedModel[]>([]);
  message = $state<string | null>(null);

  constructor() {
    this.text = shippedModels.find((m) => m.file === DEFAULT)?.text ?? shippedModels[0]?.text ?? '';
  }

  /** The name the text declares (`model NAME`), under which it is saved. */
  readonly declaredName = $derived(parseModel(new SourceText(this.#checkedText)).name?.name);

  /** The name problems are reported under (`file:line:col`) and a protocol names the text by. */
  readonly file = $derived(`${this.declaredName ?? 'model'}.model`);

  /** The compiled model, or every problem of the text (line:col, as the CLI reports them). */
  readonly checked = $derived.by((): { compiled?: CompiledModel; diagnostics: readonly Diagnostic[] } => {
    try {
      return { compiled: compileModelText(this.#checkedText, this.file), diagnostics: [] };
    } catch (e) {
      if (e instanceof ModelLanguageError) return { diagnostics: e.diagnostics };
      return { diagnostics: [{ line: 1, col: 1, message: e instanceof Error ? e.message : String(e) }] };
    }
  });

  /** The last model that compiled: its sliders and profile stay while the text has problems. */
  private lastCompiled: CompiledModel | null = null;
  readonly compiled = $derived.by(() => {
    const compiled = this.checked.compiled;
    if (compiled) this.lastCompiled = compiled;
    return compiled ?? this.lastCompiled;
  });

  /** The dose target used: the one chosen when the model has it, else the model's first. */
  readonly target = $derived.by(() => {
    const targets = this.compiled?.model.doseTargets.map((d) => d.name) ?? [];
    return targets.includes(this.regimen.target) ? this.regimen.target : (targets[0] ?? '');
  });

  readonly regimenRead = $derived(readRegimen({ ...this.regimen, target: this.target }));

  /** The typical profile, or why there is none (a regimen field, or a value that is not finite). */
  readonly preview = $derived.by((): { preview?: ModelPreview; problem?: string } => {
    const compiled = this.compiled;
    if (!compiled) return { problem: 'Fix the model to see its profile.' };
    const { regimen, problem } = this.regimenRead;
    if (!regimen) return { problem: problem.message };
    const times = previewTimes(regimen.horizon);
    const p = parameterValues(compiled, this.values);
    try {
      const profile = checkedTypicalProfile(compiled, p, regimen.doses, times, this.file);
      return { preview: { times, profile, doseTimes: regimen.doses.map((d) => d.time) } };
    } catch (e) {
      // A TypicalProfileError names the statement to blame; any other failure is shown too,
      // rather than breaking the page while the user edits.
      return { problem: e instanceof Error ? e.message : String(e) };
    }
  });

  setValue(name: string, value: number): void {
    this.values.set(name, value);
  }

  resetValues(): void {
    this.values.clear();
  }

  /** The slider values that differ from the model's typical values, by parameter. */
  overrides(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const p of this.compiled?.model.parameters ?? []) {
      const v = this.values.get(p.name);
      if (v !== undefined && v !== p.value) out[p.name] = v;
    }
    return out;
  }

  open(kind: 'shipped' | 'saved', name: string): void {
    const found =
      kind === 'shipped'
        ? shippedModels.find((m) => m.file === name)?.text
        : this.saved.find((m) => m.name === name)?.text;
    if (found === undefined) return;
    this.text = found;
    this.source = { kind, name };
    this.values.clear();
    this.message = null;
  }

  async refresh(): Promise<void> {
    const db = workbench.db ?? (await workbench.open());
    this.saved = await listModels(db);
  }

  /** Saves the text under the name it declares, replacing a saved model of that name. */
  async save(): Promise<void> {
    const name = this.declaredName;
    if (!name) return;
    await this.write(`The model could not be saved`, async (db) => {
      await saveModel(db, name, this.text);
      this.source = { kind: 'saved', name };
      return `Saved as ${name}.`;
    });
  }

  async remove(name: string): Promise<void> {
    await this.write(`${name} could not be deleted`, async (db) => {
      await deleteModel(db, name);
      return `Deleted ${name}.`;
    });
  }

  /** A change to the saved models, its outcome (or failure) shown as the page's message. */
  private async write(failure: string, change: (db: Connector) => Promise<string>): Promise<void> {
    try {
      const db = workbench.db ?? (await workbench.open());
      const done = await change(db);
      // Move the write from duckdb-wasm's write-ahead log into the OPFS database file.
      await db.exec('CHECKPOINT').catch(() => {});
      await this.refresh();
      this.message = done;
    } catch (e) {
      this.message = `${failure}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /**
   * Puts this text and the slider values into the protocol being edited (the Protocols
   * page's draft); false with a message when that protocol's YAML cannot be edited.
   */
  useInProtocol(): boolean {
    try {
      protocolDraft.text = protocolWithModelText(
        protocolDraft.text,
        { file: this.file, text: this.text },
        this.overrides()
      );
      return true;
    } catch (e) {
      this.message = e instanceof Error ? e.message : String(e);
      return false;
    }
  }
}

export const models = new ModelsState();
