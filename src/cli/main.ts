/** Entry of dist/cli.js (bin/layerwise.js requires it): runs the command line and sets the exit code. */
import { cli } from './command';

cli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`layerwise: ${(err as Error)?.stack ?? err}\n`);
    process.exitCode = 2;
  },
);
