import { Command } from 'commander';
import { ConfigError } from '@intake/config';
import { CampaignProfileError, isAppError } from '@intake/domain';
import { UsageError } from './usage-error.js';
import { registerServiceCommands } from './commands/services.js';
import { registerParseCommand } from './commands/parse.js';
import { registerImportCommand } from './commands/import.js';
import { registerRegisterCommands } from './commands/register.js';
import { registerOpsCommands } from './commands/ops.js';
import { registerAckCommands } from './commands/ack.js';
import { registerUserCommands } from './commands/user.js';
import { RedisUnavailableError } from './embedded-redis.js';

/** Problems the user can fix get one readable line each, never a stack trace. */
export function reportFatal(err: unknown): number {
  if (err instanceof ConfigError) {
    process.stderr.write('intake: configuration problems:\n' + err.problems.map((p) => `  ${p}\n`).join(''));
    return 2;
  }
  if (err instanceof CampaignProfileError) {
    process.stderr.write(
      `intake: campaign profile ${err.path} is invalid:\n` + err.problems.map((p) => `  ${p}\n`).join(''),
    );
    return 2;
  }
  if (err instanceof RedisUnavailableError) {
    process.stderr.write(`intake: ${err.message}\n`);
    return 3;
  }
  const e = err as Error | null | undefined;
  process.stderr.write(`intake: ${e?.message ?? String(err)}\n`);
  // an unexpected error keeps its stack for the operator; a user-fixable one is one line
  if (!(err instanceof UsageError) && !isAppError(err)) process.stderr.write(`${e?.stack ?? ''}\n`);
  return 1;
}

export function buildProgram(): Command {
  const program = new Command('intake')
    .description('Intake desk for applications that arrive by email (吉发改高技〔2020〕308号 campaign by default)')
    .showHelpAfterError();
  registerServiceCommands(program);
  registerParseCommand(program);
  registerImportCommand(program);
  registerRegisterCommands(program);
  registerOpsCommands(program);
  registerAckCommands(program);
  registerUserCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  process.on('unhandledRejection', (err) => {
    process.exitCode = reportFatal(err);
    process.exit();
  });
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    process.exitCode = reportFatal(err);
  }
}
