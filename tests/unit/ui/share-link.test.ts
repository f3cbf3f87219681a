import { describe, expect, it } from 'vitest';
import { loadProtocol } from '../../../src/lib/load/load-protocol';
import { resolveRunProtocol } from '../../../src/lib/runner/run-trial';
import {
  decodeShareLink,
  encodeShareLink,
  selfContainedProtocolYaml,
  shareUrl,
  ShareLinkError,
  type SharedRun
} from '../../../src/lib/ui/share-link';
import { loadShippedProtocol, shippedProtocols } from '../../../src/lib/ui/shipped-protocols';

const noFiles = () => {
  throw new Error('a shared protocol reads no file');
};

/** What a run records, with the file names a shared protocol drops. */
function recorded(file: string) {
  const shipped = shippedProtocols.find((p) => p.file === file)!;
  return resolveRunProtocol({ protocol: loadShippedProtocol(shipped.text, file), n: 300, seed: 7 });
}

function withoutFiles(p: unknown): unknown {
  type Model = { model: unknown };
  const c = structuredClone(p) as {
    cohort: { file?: string };
    model: Model;
    companion?: { model: Model };
    imported?: unknown;
  };
  delete c.cohort.file;
  delete c.imported;
  for (const m of [c.model, c.companion?.model]) {
    if (typeof m?.model === 'object') delete (m.model as { file?: string }).file;
  }
  return c;
}

describe('share links', () => {
  it('makes every shipped protocol self-contained YAML that loads to the same resolved protocol', () => {
    expect(shippedProtocols.length).toBeGreaterThan(3);
    for (const { file } of shippedProtocols) {
      const run = recorded(file);
      const again = loadProtocol(selfContainedProtocolYaml(run), 'shared link', noFiles);
      expect(withoutFiles(again), file).toEqual(withoutFiles(run));
    }
  });

  it('round-trips a run through the URL fragment, compressed', async () => {
    const protocol = selfContainedProtocolYaml(recorded('antihypertensive-dose-ranging.yaml'));
    const run: SharedRun = {
      protocol,
      n: 300,
      seed: 7,
      replicates: 1,
      dense: null,
      endpoint: 'sbp_change_w12',
      control: 'placebo',
      appVersion: '0.1.0'
    };
    const fragment = await encodeShareLink(run);
    expect(fragment).toMatch(/^r1\.[A-Za-z0-9_-]+$/);
    expect(await decodeShareLink(`#${fragment}`)).toEqual(run);
    // deflate-raw shrinks the YAML several fold: the link stays short enough for any browser.
    expect(fragment.length).toBeLessThan(protocol.length / 2);
    expect(shareUrl('http://localhost:4173/', fragment)).toBe(`http://localhost:4173/open#${fragment}`);
  });

  it('refuses a damaged, foreign or newer link with a message', async () => {
    const fragment = await encodeShareLink({
      protocol: 'name: x',
      n: 10,
      seed: 1,
      replicates: 1,
      dense: null,
      endpoint: null,
      control: null,
      appVersion: '0.1.0'
    });
    const message = async (text: string) => {
      try {
        await decodeShareLink(text);
      } catch (e) {
        expect(e).toBeInstanceOf(ShareLinkError);
        return (e as Error).message;
      }
      return 'decoded';
    };
    expect(await message(fragment.slice(0, fragment.length - 9))).toMatch(/damaged/);
    expect(await message(`${fragment.slice(0, 12)}AAAA${fragment.slice(16)}`)).toMatch(/damaged/);
    expect(await message(`${fragment}!`)).toMatch(/characters/);
    expect(await message('')).toMatch(/nothing follows the #/);
    expect(await message('hello')).toMatch(/should start with 'r1\.'/);
    expect(await message(`r2.${fragment.slice(3)}`)).toMatch(/newer Twinbench/);
    const bad = await encodeShareLink({ protocol: 'x', n: 0 } as unknown as SharedRun);
    expect(await message(bad)).toMatch(/the link's n is 0: it should be a whole number ≥ 1/);
  });
});
