import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import {
  checkModelText,
  compileModelText,
  MAX_MODEL_BYTES,
  ModelLanguageError,
  type CompiledModel
} from '../../lib/engine/model-language';
import {
  checkedTypicalProfile,
  parameterValues,
  TypicalProfileError
} from '../../lib/engine/model-language/typical-profile';
import { importModelText, toolOf, type Tool } from '../../lib/engine/model-language/import';
import type { Dose } from '../../lib/engine/models';
import { parseTime } from '../../lib/spec/duration';
import { action, EXIT_BAD_INPUT, UsageError } from '../errors';

/** More output times than a terminal or a spreadsheet wants from one typical profile. */
const MAX_TIMES = 100_000;

/**
 * `twinbench model check <file>` and `twinbench model simulate <file>`: a model text's
 * problems (one `file:line:col: message` line each, exit 2) or its summary, and its
 * typical individual's profile under doses given on the command line.
 */
export function registerModel(program: Command): void {
  const model = program
    .command('model')
    .description('check and simulate a model written in the model language');
  model
    .command('check')
    .description('report every problem of a model file, or summarise it')
    .argument('<file>', 'model file')
    .action(
      action(async (file: string) => {
        const compiled = compileModel(file);
        if (compiled) process.stdout.write(summary(compiled).join('\n') + '\n');
      })
    );
  model
    .command('import')
    .description(
      'translate an mrgsolve (.cpp, .mod) or rxode2 (.R, .rxode) model into the model language, on stdout'
    )
    .argument('<file>', 'mrgsolve or rxode2 model file')
    .option('--from <tool>', 'mrgsolve or rxode2 (default: by the file extension)')
    .action(
      action(async (file: string, options: { from?: string }) => {
        const tool = options.from ?? toolOf(file);
        if (tool !== 'mrgsolve' && tool !== 'rxode2')
          throw new UsageError(
            options.from
              ? `--from must be mrgsolve or rxode2, not '${options.from}'`
              : `${file}: not an mrgsolve (.cpp, .mod) or rxode2 (.R, .rxode) file; say which with --from`
          );
        printImport(file, tool);
      })
    );
  model
    .command('simulate')
    .description('print the typical individual (no variability, no residual error) under the given doses')
    .argument('<file>', 'model file')
    .option('--param <NAME=VALUE>', 'typical value of a parameter (repeatable)', collect, [])
    .option(
      '--dose <AMOUNT@TIME[:TARGET][/DURATION]>',
      'a dose (repeatable); times in h or with a unit',
      collect,
      []
    )
    .option('--times <FROM:STEP:TO>', 'output times in hours', '0:1:24')
    .option('--format <format>', 'csv or table', 'csv')
    .action(
      action(
        async (file: string, options: { param: string[]; dose: string[]; times: string; format: string }) => {
          if (options.format !== 'csv' && options.format !== 'table')
            throw new UsageError(`--format must be csv or table, not '${options.format}'`);
          const times = parseTimes(options.times);
          const compiled = compileModel(file);
          if (!compiled) return;
          const parameters = parseParameters(options.param, compiled);
          const doses = options.dose.map((d) => parseDose(d, compiled));
          const p = parameterValues(compiled, parameters);
          let profile;
          try {
            profile = checkedTypicalProfile(compiled, p, doses, times, file);
          } catch (e) {
            // A solver that stops, or a value that is not finite, names the statement to blame.
            if (e instanceof TypicalProfileError) throw new UsageError(e.message);
            throw e;
          }
          const sep = options.format === 'csv' ? ',' : '\t';
          const lines = [['time', ...profile.columns].join(sep)];
          for (let k = 0; k < times.length; k++)
            lines.push([times[k], ...profile.values.map((v) => v[k])].join(sep));
          process.stdout.write(lines.join('\n') + '\n');
        }
      )
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The file's text; a missing, unreadable or oversized file is bad input (exit 2). */
function readModelFile(file: string): string {
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new UsageError(`${file}: is a directory, not a model file`);
    size = stat.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot be read (${(e as Error).message})`}`
    );
  }
  if (size > MAX_MODEL_BYTES)
    throw new UsageError(`${file}:1:1: the model is ${size} bytes; at most ${MAX_MODEL_BYTES} are read`);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot be read (${(e as Error).message})`);
  }
}

/**
 * The compiled model; or its text's problems printed one `file:line:col: message` line
 * each, exactly (tools parse them), with exit code 2 and undefined.
 */
function compileModel(file: string): CompiledModel | undefined {
  const text = readModelFile(file);
  // An mrgsolve or rxode2 file is imported on the fly; problems of the translation name
  // the translated text's lines (`twinbench model import` prints it).
  const tool = toolOf(file);
  try {
    return tool
      ? compileModelText(importModelText(text, file, tool), `${file} (imported)`)
      : compileModelText(text, file);
  } catch (e) {
    if (!(e instanceof ModelLanguageError)) throw e;
    process.stderr.write(e.message + '\n');
    process.exitCode = EXIT_BAD_INPUT;
    return undefined;
  }
}

/**
 * The translation on stdout; a refused construct is one `file:line:col: message` line
 * (exit 2). A translation the checker refuses is printed with its problems (exit 2).
 */
function printImport(file: string, tool: Tool): void {
  const source = readModelFile(file);
  let text: string;
  try {
    text = importModelText(source, file, tool);
  } catch (e) {
    if (!(e instanceof ModelLanguageError)) throw e;
    process.stderr.write(e.message + '\n');
    process.exitCode = EXIT_BAD_INPUT;
    return;
  }
  process.stdout.write(text);
  const { diagnostics } = checkModelText(text);
  if (diagnostics.length) {
    process.stderr.write(new ModelLanguageError(`${file} (imported)`, diagnostics).message + '\n');
    process.exitCode = EXIT_BAD_INPUT;
  }
}

function summary(compiled: CompiledModel): string[] {
  const m = compiled.model;
  const states = m.kind === 'ode' ? m.states : (m.pd?.states ?? []);
  const solver =
    m.kind === 'pkpd'
      ? states.length
        ? `closed-form ${m.pk.name} PK with the states integrated (Dormand–Prince)`
        : `closed-form ${m.pk.name} PK`
      : m.stiff
        ? 'Rosenbrock (stiff) with the analytic Jacobian'
        : 'Dormand–Prince with stiffness detection';
  const list = (xs: readonly { name: string; unit: string }[]) =>
    xs.map((x) => (x.unit ? `${x.name} [${x.unit}]` : x.name)).join(', ') || '(none)';
  const lines = [
    `model ${m.name}: ${m.title}`,
    `parameters (${m.parameters.length}): ${m.parameters.map((p) => `${p.name} = ${p.value}${p.unit ? ` [${p.unit}]` : ''}`).join(', ')}`,
    `states (${states.length}): ${list(states)}`,
    `outputs (${m.outputs.length}): ${list(m.outputs)}`,
    `dose targets: ${m.doseTargets.map((d) => d.name).join(', ')} (default ${m.doseTargets[0]?.name})`,
    `solver: ${solver}`
  ];
  const iiv = compiled.defaults.iiv;
  if (iiv) lines.push(`variability: ${iiv.parameters.join(', ')}`);
  if (compiled.covariates.length)
    lines.push(
      `covariates: ${compiled.covariates.join(', ')} (from the cohort in a protocol; model simulate shows the population values)`
    );
  return lines;
}

function parseTimes(text: string): Float64Array {
  const parts = text.split(':').map((s) => parseTime(s));
  const [from, step, to] = parts;
  if (parts.length !== 3 || from === undefined || step === undefined || to === undefined)
    throw new UsageError(`--times: '${text}' must be FROM:STEP:TO, such as 0:0.5:24 (hours)`);
  if (!(step > 0) || !(to >= from)) throw new UsageError(`--times: '${text}' needs STEP > 0 and TO ≥ FROM`);
  const n = Math.floor((to - from) / step + 1e-9) + 1;
  if (n > MAX_TIMES) throw new UsageError(`--times: '${text}' gives ${n} times; at most ${MAX_TIMES}`);
  return Float64Array.from({ length: n }, (_, k) => from + k * step);
}

function parseParameters(list: string[], compiled: CompiledModel): Map<string, number> {
  const names = compiled.model.parameters.map((p) => p.name);
  const out = new Map<string, number>();
  for (const item of list) {
    const m = /^([^=]+)=(.+)$/.exec(item);
    if (!m) throw new UsageError(`--param: '${item}' must be NAME=VALUE`);
    const [name, value] = [m[1].trim(), Number(m[2])];
    if (!names.includes(name))
      throw new UsageError(`--param: the model has no parameter '${name}' (parameters: ${names.join(', ')})`);
    if (!Number.isFinite(value)) throw new UsageError(`--param: '${m[2]}' for ${name} is not a number`);
    out.set(name, value);
  }
  return out;
}

function parseDose(text: string, compiled: CompiledModel): Dose {
  const targets = compiled.model.doseTargets.map((d) => d.name);
  const m = /^([^@]+)@([^:/]+)(?::([^/]+))?(?:\/(.+))?$/.exec(text);
  const usage = `--dose: '${text}' must be AMOUNT@TIME[:TARGET][/DURATION], such as 100@0, 100@24h:central or 500@0/1h`;
  if (!m) throw new UsageError(usage);
  const amount = Number(m[1]);
  const time = parseTime(m[2]);
  const target = m[3]?.trim() ?? targets[0];
  const duration = m[4] === undefined ? 0 : parseTime(m[4]);
  if (!(Number.isFinite(amount) && amount >= 0))
    throw new UsageError(`${usage}: the amount must be a number ≥ 0`);
  if (time === undefined || !(time >= 0))
    throw new UsageError(`${usage}: the time must be ≥ 0 (hours, or with a unit)`);
  if (duration === undefined || !(duration >= 0))
    throw new UsageError(`${usage}: the duration must be ≥ 0 (hours, or with a unit)`);
  if (!targets.includes(target))
    throw new UsageError(`--dose: the model has no dose target '${target}' (targets: ${targets.join(', ')})`);
  return { amount, time, target, duration };
}
