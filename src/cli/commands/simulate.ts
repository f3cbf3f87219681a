import type { Command } from 'commander';
import { compileProtocol, predictionTwin, predictTwin } from '../../lib/engine/trial';
import { CancelledError } from '../../lib/runner/pool';
import { action, UsageError } from '../errors';
import { listenForInterrupts } from '../interrupt';
import { readProtocolFile } from '../protocol-file';

/**
 * Prints individual predicted profiles (no residual error) of chosen twins under one
 * arm, so they can be compared with another tool's output for the same inputs.
 */
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description("print chosen twins' predicted profiles (no residual error) under one arm")
    .argument('<protocol.yaml>', 'trial protocol')
    .option('--twins <ids>', 'comma-separated twin ids', '1')
    .option('--arm <name>', 'arm to simulate (default: the last arm)')
    .option('--format <format>', 'csv or table', 'csv')
    .action(
      action(async (file: string, options: { twins: string; arm?: string; format: string }) => {
        const ids = options.twins.split(',').map((s) => Number(s.trim()));
        if (ids.some((i) => !Number.isSafeInteger(i) || i < 1)) {
          throw new UsageError(`--twins: '${options.twins}' must be whole numbers ≥ 1 separated by commas`);
        }
        if (options.format !== 'csv' && options.format !== 'table')
          throw new UsageError(`--format must be csv or table`);
        const protocol = await readProtocolFile(file);
        const plan = compileProtocol(protocol);
        const armIndex =
          options.arm === undefined
            ? plan.arms.length - 1
            : plan.arms.findIndex((a) => a.name === options.arm);
        if (armIndex < 0) {
          throw new UsageError(
            `--arm: no arm '${options.arm}' (arms: ${plan.arms.map((a) => a.name).join(', ')})`
          );
        }
        const outputs = plan.model.outputs.map((o) => o.name);
        const sep = options.format === 'csv' ? ',' : '\t';
        const lines = [['twin', 'time', ...outputs].join(sep)];
        const nT = plan.times.length;
        const out = new Float64Array(outputs.length * nT);
        const interrupts = listenForInterrupts();
        try {
          for (const id of ids) {
            // A turn of the event loop per twin, so a signal is seen between twins.
            await new Promise((resolve) => setImmediate(resolve));
            if (interrupts.signal.aborted) throw new CancelledError();
            predictTwin(plan, predictionTwin(plan, id), armIndex, plan.times, out);
            for (let k = 0; k < nT; k++) {
              lines.push([id, plan.times[k], ...outputs.map((_, o) => out[o * nT + k])].join(sep));
            }
          }
        } finally {
          interrupts.dispose();
        }
        process.stdout.write(lines.join('\n') + '\n');
      })
    );
}
