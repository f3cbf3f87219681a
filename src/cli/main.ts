import { Command } from 'commander';
import { APP_VERSION } from '../lib/version';
import { registerCohort } from './commands/cohort';
import { registerDescribe } from './commands/describe';
import { registerValidate } from './commands/validate';
import { registerServe } from './commands/serve';
import { registerAnalyze } from './commands/analyze';
import { registerRun } from './commands/run';
import { registerSimulate } from './commands/simulate';
import { registerPower } from './commands/power';
import { registerModel } from './commands/model';
import { registerCalibrate } from './commands/calibrate';
import { registerForecast } from './commands/forecast';
import { registerSql } from './commands/sql';
import { registerReport } from './commands/report';
import { registerExport } from './commands/export';
import { registerMerge } from './commands/merge';
import { registerFingerprint } from './commands/fingerprint';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, reportFailure } from './errors';

// Output piped into a command that stops reading (`twinbench … | head`) ends quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

// A last resort: an error that escaped a command is still one line and exit 1.
const crash = (e: unknown) => {
  reportFailure(e);
  process.exit(EXIT_INTERNAL);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

const program = new Command('twinbench')
  .description('Twinbench: virtual patient cohorts and in-silico trials, from the command line')
  .version(APP_VERSION)
  .option('--debug', 'print the stack trace of an internal error (also: TWINBENCH_DEBUG=1)')
  .hook('preAction', (cmd) => {
    if (cmd.opts().debug) process.env.TWINBENCH_DEBUG = '1';
  })
  .showHelpAfterError()
  .exitOverride((err) => {
    // Commander's own usage errors (unknown option, bad value) are bad input too.
    process.exit(err.exitCode === 0 ? 0 : EXIT_BAD_INPUT);
  });

registerCohort(program);
registerDescribe(program);
registerValidate(program);
registerRun(program);
registerSimulate(program);
registerPower(program);
registerServe(program);
registerAnalyze(program);
registerModel(program);
registerCalibrate(program);
registerForecast(program);
registerSql(program);
registerReport(program);
registerExport(program);
registerMerge(program);
registerFingerprint(program);

await program.parseAsync(process.argv);
