import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { NodeConnector } from '../../lib/db/node-connector';
import { checkDataFile } from '../data-file';
import { action, nonNegativeInt, positiveInt, UsageError } from '../errors';

interface ReportCliOptions {
  run: number;
  out: string;
  control?: string;
  replicate?: number;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'write a self-contained HTML report of a run (protocol, Table 1, trial flow, comparisons, charts)'
    )
    .argument('<db>', 'the run database (.duckdb)')
    .requiredOption('--run <id>', 'the run', positiveInt('--run'))
    .requiredOption('--out <file>', 'the HTML file to write (replaced whole, never left half-written)')
    .option('--control <arm>', "the control arm (default: the protocol's placebo arm, else the first arm)")
    .option('--replicate <k>', 'the replicate compared (default 0)', nonNegativeInt('--replicate'))
    .action(
      action(async (input: string, o: ReportCliOptions) => {
        checkDataFile(input);
        if (!/\.html?$/i.test(o.out)) throw new UsageError(`--out must name an .html file (got '${o.out}')`);
        if (statSync(o.out, { throwIfNoEntry: false })?.isDirectory())
          throw new UsageError(`--out ${o.out} is a directory: name an .html file`);
        // opened as analyze opens it: complete runs only are read, nothing is recovered
        // Loaded here, not at the CLI's start: linkedom, Plot and the report take 0.4 s to
        // load, which every other command (and every shard of a cluster job) would pay.
        const [{ parseHTML }, { runReportHtml }, { runReportData, RunReportError }] = await Promise.all([
          import('linkedom'),
          import('../../lib/report/run-report'),
          import('../../lib/report/run-report-data')
        ]);
        const db = await NodeConnector.open(input);
        let html: string;
        try {
          // Observable Plot renders the charts into linkedom's document, as in the browser's
          const { document } = parseHTML('<!doctype html><html><body></body></html>');
          const data = await runReportData(db, o.run, {
            document: document as unknown as Document,
            control: o.control,
            replicate: o.replicate,
            path: input
          });
          html = runReportHtml(data);
        } catch (e) {
          if (e instanceof RunReportError) throw new UsageError(e.message);
          throw e;
        } finally {
          await db.close();
        }
        writeAtomically(o.out, html);
        process.stderr.write(
          `${o.out}: report of run ${o.run} written (${Math.ceil(html.length / 1024)} kB)\n`
        );
      })
    );
}

/** Writes under a temporary name beside the file, then renames: a failure leaves what was there. */
function writeAtomically(path: string, text: string): void {
  const partial = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(partial, text);
    renameSync(partial, path);
  } catch (e) {
    rmSync(partial, { force: true });
    throw new UsageError(`${path}: cannot be written: ${(e as Error).message.split('\n')[0]}`);
  }
}
