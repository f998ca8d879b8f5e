import { UsageError } from '../usage-error.js';
import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { createRuntime } from '../runtime.js';

async function promptPassword(): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError('give --password, or run on a terminal to be asked for it');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // do not echo what is typed
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  process.stderr.write('password: ');
  const pw = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return pw;
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('dashboard accounts');
  user
    .command('add')
    .description('create a staff account (or set a new password and role for an existing one)')
    .argument('<username>')
    .requiredOption('--role <role>', 'viewer | reviewer | admin')
    .option('--password <password>', 'the password (asked for on a terminal when omitted)')
    .action(async (username: string, opts: { role: string; password?: string }) => {
      if (!['viewer', 'reviewer', 'admin'].includes(opts.role))
        throw new UsageError('--role must be viewer, reviewer or admin');
      const password = opts.password ?? (await promptPassword());
      if (password.length < 8) throw new UsageError('the password needs at least 8 characters');
      const rt = createRuntime('user');
      try {
        const { addUser } = await import('@intake/dashboard');
        const u = await addUser(await rt.db(), {
          username,
          password,
          role: opts.role as 'viewer' | 'reviewer' | 'admin',
        });
        process.stdout.write(`user ${u.username} (${u.role}) saved\n`);
      } finally {
        await rt.close();
      }
    });
}
