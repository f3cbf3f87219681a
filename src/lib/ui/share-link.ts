import { stringify } from 'yaml';
import type { ResolvedProtocol } from '../engine/trial';
import { APP_VERSION } from '../version';

/**
 * A run shared as a link: everything needed to run it again bit for bit in another
 * browser. The protocol is YAML complete in itself (its cohort spec inline, its model
 * text inline), so opening the link reads no file; n, seed, replicates and the dense grid
 * are the run's own settings (docs/ARCHITECTURE.md "Determinism": the same protocol,
 * seed and n give the same twins and results). The endpoint and control say which
 * comparison the link is about.
 */
export interface SharedRun {
  protocol: string;
  n: number;
  seed: number;
  replicates: number;
  /** the dense-profile grid in hours, null for visits only */
  dense: number | null;
  endpoint: string | null;
  control: string | null;
  /** the version of Twinbench that made the run */
  appVersion: string;
}

/** A link that cannot be opened; the message says why, for the user. */
export class ShareLinkError extends Error {
  override name = 'ShareLinkError';
}

/** The fragment's format version; a newer one is refused rather than misread. */
const FORMAT = 1;
const PREFIX = `r${FORMAT}.`;

/**
 * The protocol a run recorded (`run.protocol`, the resolved protocol) as YAML that
 * `loadProtocol` reads without any file: the cohort by its spec (not its file) and every
 * model by its text. Durations are hours already; the schema reads numbers as hours.
 */
export function selfContainedProtocolYaml(protocol: ResolvedProtocol): string {
  const p = structuredClone(protocol) as ResolvedProtocol & { imported?: unknown };
  delete p.imported;
  const cohort = p.cohort as { file?: string; spec: unknown };
  delete cohort.file;
  for (const m of [p.model, p.companion?.model]) {
    const ref = m?.model;
    if (ref && typeof ref !== 'string' && ref.text !== undefined) delete ref.file;
  }
  return stringify(p, { aliasDuplicateObjects: false, lineWidth: 0 });
}

/** Bytes → base64url without padding (RFC 4648 §5), safe in a URL fragment. */
function toBase64Url(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text))
    throw new ShareLinkError('the link is damaged: it holds characters a shared link never has');
  const b64 = text.replaceAll('-', '+').replaceAll('_', '/');
  let binary: string;
  try {
    binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  } catch {
    throw new ShareLinkError('the link is damaged: it is cut short or changed');
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Runs bytes through a CompressionStream or DecompressionStream ('deflate-raw', RFC 1951). */
async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/**
 * The URL fragment (without '#') holding a shared run: JSON, deflate-raw compressed,
 * base64url. A fragment is never sent to a server, so the protocol stays in the browser.
 */
export async function encodeShareLink(run: SharedRun): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(run));
  return PREFIX + toBase64Url(await pipe(json, new CompressionStream('deflate-raw')));
}

/** Reads a fragment made by encodeShareLink (with or without '#'); a bad one throws ShareLinkError. */
export async function decodeShareLink(fragment: string): Promise<SharedRun> {
  const text = fragment.replace(/^#/, '').trim();
  if (text === '') throw new ShareLinkError('the link holds no run: nothing follows the # in the address');
  const version = /^r(\d+)\./.exec(text);
  if (!version)
    throw new ShareLinkError(`the link holds no run: its part after # should start with '${PREFIX}'`);
  if (Number(version[1]) > FORMAT) {
    throw new ShareLinkError(
      `the link was made by a newer Twinbench (link format ${version[1]}; this is ${APP_VERSION}, which reads format ${FORMAT})`
    );
  }
  const bytes = fromBase64Url(text.slice(version[0].length));
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(
      await pipe(bytes, new DecompressionStream('deflate-raw'))
    );
  } catch {
    throw new ShareLinkError('the link is damaged: it does not decompress (was it cut short or changed?)');
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ShareLinkError('the link is damaged: its content is not readable');
  }
  return checkSharedRun(value);
}

/** Checks a decoded value field by field, naming the first field that is wrong. */
function checkSharedRun(value: unknown): SharedRun {
  if (typeof value !== 'object' || value === null) throw new ShareLinkError('the link holds no run');
  const v = value as Record<string, unknown>;
  const bad = (field: string, want: string) =>
    new ShareLinkError(`the link's ${field} is ${JSON.stringify(v[field])}: it should be ${want}`);
  if (typeof v.protocol !== 'string' || v.protocol === '') throw bad('protocol', 'protocol YAML text');
  for (const field of ['n', 'replicates'] as const) {
    if (!Number.isSafeInteger(v[field]) || (v[field] as number) < 1) throw bad(field, 'a whole number ≥ 1');
  }
  if (!Number.isSafeInteger(v.seed) || (v.seed as number) < 0) throw bad('seed', 'a whole number ≥ 0');
  if (v.dense !== null && !(typeof v.dense === 'number' && v.dense > 0))
    throw bad('dense', 'null or hours > 0');
  for (const field of ['endpoint', 'control'] as const) {
    if (v[field] !== null && typeof v[field] !== 'string') throw bad(field, 'a name or null');
  }
  if (typeof v.appVersion !== 'string') throw bad('appVersion', 'a version such as 0.1.0');
  return {
    protocol: v.protocol,
    n: v.n as number,
    seed: v.seed as number,
    replicates: v.replicates as number,
    dense: v.dense as number | null,
    endpoint: v.endpoint as string | null,
    control: v.control as string | null,
    appVersion: v.appVersion
  };
}

/** The address that opens a shared run: the app's /open page with the run in its fragment. */
export function shareUrl(origin: string, fragment: string): string {
  return `${origin.replace(/\/$/, '')}/open#${fragment}`;
}
