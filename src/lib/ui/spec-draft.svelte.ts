import type { Connector } from '../db/connector';
import { deleteSpec, listSpecs, renameSpec, saveSpec, type SavedSpec, type SpecKind } from '../db/spec-store';
import { SpecError, type SpecIssue } from '../spec/issues';
import { download } from './download';

/** A YAML text checked: the spec it makes, or its problems (field path and line). */
export interface CheckedSpec<T> {
  value: T | null;
  issues: SpecIssue[];
  omitted: number;
}

/** Where the text being edited came from. */
export interface SpecSource {
  kind: 'shipped' | 'saved' | 'file';
  name: string;
}

/** Uploaded YAML beyond this size is refused (the shipped specs are a few kB). */
export const MAX_UPLOAD_BYTES = 1_000_000;

/** Runs a spec loader, turning its SpecError (or any error) into problems to list. */
export function checkSpec<T>(load: () => T): CheckedSpec<T> {
  try {
    return { value: load(), issues: [], omitted: 0 };
  } catch (e) {
    return {
      value: null,
      issues:
        e instanceof SpecError
          ? e.issues
          : [{ path: [], message: e instanceof Error ? e.message : String(e) }],
      omitted: e instanceof SpecError ? e.omitted : 0
    };
  }
}

/** The name a spec is saved and downloaded under, from a file name: without `.yaml`. */
export const nameOfFile = (file: string) => file.replace(/\.ya?ml$/i, '');

/** A file name for a download: the name with anything but letters, digits, - and _ as -. */
export const fileOfName = (name: string) =>
  `${name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '') || 'spec'}.yaml`;

/**
 * A YAML spec being edited in the browser (a protocol or a cohort spec): its text, where
 * it came from, whether it has edits not saved in the workspace, the last spec it made
 * (kept visible, marked stale, while the text has problems), and the specs of its kind
 * saved in the workspace (spec-store.ts) with open, save, rename, delete, download and
 * upload. `check` turns the text into a spec or its problems.
 */
export class SpecDraft<T> {
  text = $state('');
  /** The file name problems are reported under. */
  file = $state('');
  /** The name it is saved and downloaded under. */
  name = $state('');
  source = $state<SpecSource>({ kind: 'shipped', name: '' });
  saved = $state.raw<SavedSpec[]>([]);
  /** The outcome of the last workspace action or upload, to show beside the list. */
  message = $state<{ text: string; error: boolean } | null>(null);
  /** The text as last opened from or saved to the workspace; null: never saved there. */
  #clean = $state<string | null>(null);

  constructor(
    readonly kind: SpecKind,
    private readonly check: (text: string, file: string) => CheckedSpec<T>
  ) {}

  readonly checked = $derived.by(() => this.check(this.text, this.file));

  #lastValid: T | null = null;
  /** The spec the text makes, or while it has problems, the last one it made. */
  readonly current = $derived.by(() => {
    const value = this.checked.value;
    if (value !== null) this.#lastValid = value;
    return value ?? this.#lastValid;
  });
  /** The form shows a spec the text no longer makes. */
  readonly stale = $derived(this.checked.value === null && this.current !== null);
  /** Edits not saved in the workspace (a shipped spec as shipped counts as saved). */
  readonly dirty = $derived(this.text !== this.#clean);

  /** Starts from a shipped file (its text as shipped is not an unsaved edit). */
  openShipped(file: string, text: string): void {
    this.#replace(text, file, nameOfFile(file), { kind: 'shipped', name: file });
    this.#clean = text;
  }

  /** Opens a spec saved in the workspace. */
  open(spec: SavedSpec): void {
    this.#replace(spec.text, fileOfName(spec.name), spec.name, { kind: 'saved', name: spec.name });
    this.#clean = spec.text;
  }

  #replace(text: string, file: string, name: string, source: SpecSource) {
    this.#lastValid = null;
    this.text = text;
    this.file = file;
    this.name = name;
    this.source = source;
    this.message = null;
  }

  async refresh(db: Connector): Promise<void> {
    this.saved = await listSpecs(db, this.kind);
  }

  /** Saves the text under `name` (replacing a saved spec of that name). */
  async save(db: Connector): Promise<void> {
    await this.#act(db, async () => {
      const text = this.text;
      await saveSpec(db, this.kind, this.name, text);
      this.name = this.name.trim();
      this.file = fileOfName(this.name);
      this.source = { kind: 'saved', name: this.name };
      this.#clean = text;
      return `Saved as '${this.name}'.`;
    });
  }

  async rename(db: Connector, from: string, to: string): Promise<void> {
    await this.#act(db, async () => {
      await renameSpec(db, this.kind, from, to);
      if (this.source.kind === 'saved' && this.source.name === from) {
        this.source = { kind: 'saved', name: to.trim() };
        this.name = to.trim();
      }
      return `Renamed '${from}' to '${to.trim()}'.`;
    });
  }

  async remove(db: Connector, name: string): Promise<void> {
    await this.#act(db, async () => {
      await deleteSpec(db, this.kind, name);
      // The text stays in the editor, now unsaved.
      if (this.source.kind === 'saved' && this.source.name === name) this.#clean = null;
      return `Deleted '${name}'.`;
    });
  }

  /** Runs a workspace action, folds the write-ahead log into the file, lists again. */
  async #act(db: Connector, action: () => Promise<string>): Promise<void> {
    try {
      const done = await action();
      await db.exec('CHECKPOINT').catch(() => {});
      this.message = { text: done, error: false };
    } catch (e) {
      this.message = { text: e instanceof Error ? e.message : String(e), error: true };
    }
    await this.refresh(db);
  }

  download(): void {
    download(fileOfName(this.name), this.text, 'application/yaml');
  }

  /** Reads an uploaded YAML file into the editor (not saved until the user saves it). */
  async upload(file: File): Promise<void> {
    if (file.size > MAX_UPLOAD_BYTES) {
      this.message = {
        text: `${file.name} is ${file.size.toLocaleString()} bytes: a spec file may have at most ${MAX_UPLOAD_BYTES.toLocaleString()}.`,
        error: true
      };
      return;
    }
    const text = await file.text();
    this.#replace(text, file.name, nameOfFile(file.name), { kind: 'file', name: file.name });
    this.#clean = null;
    this.message = { text: `Read ${file.name}: save it to keep it in the workspace.`, error: false };
  }
}
