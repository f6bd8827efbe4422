/**
 * npm run simulate -- [--residents 200] [--duration 20] [--fail-slack 0.3] [--fail-telegram 0.3]
 *                     [--kill-at 50%] [--seed 1] [--keep]
 * Plays residents and branch staff through the whole loop against the real service, over real
 * HTTP, with fake Telegram and Slack APIs; prints a transcript and the totals (see docs/simulator.md).
 */
import { parseSimArgs, UsageError, USAGE } from './sim/options.js';
import { runSimulation } from './sim/run.js';
import { killAllServices } from './sim/service-process.js';

// Ctrl-C (or a kill) of the simulator takes the service it started with it
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllServices();
    process.exit(130);
  });
}
process.on('exit', killAllServices);

try {
  const options = parseSimArgs(process.argv.slice(2));
  const report = await runSimulation(options);
  process.exit(report.passed ? 0 : 1);
} catch (e) {
  if (e instanceof UsageError) {
    if (e.message) console.error(e.message);
    console.error(USAGE);
    process.exit(2);
  }
  console.error(e);
  process.exit(1);
}
