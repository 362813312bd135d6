import { runCli } from './main';

// `npm run cli -- …`: import and export for unattended (nightly) jobs, through the same services as the app.
const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exitCode = code;
