#!/usr/bin/env node
// Fills the demo mailbox with the fixture generator's realistic submissions
// (once: a mailbox that already holds mail is left as it is), each APPENDed
// with its server receipt time around the deadline.
import { ImapFlow } from 'imapflow';
import { generateCorpus } from '@intake/fixture-generator';

const [user, pass, port] = process.argv.slice(2);
const client = new ImapFlow({
  host: '127.0.0.1',
  port: Number(port),
  secure: false,
  auth: { user, pass },
  logger: false,
});
await client.connect();
try {
  const status = await client.status('INBOX', { messages: true });
  if ((status.messages ?? 0) > 0) {
    process.stdout.write(`demo mailbox already holds ${status.messages} message(s): not seeding again\n`);
  } else {
    const corpus = await generateCorpus({ seed: 2020 });
    for (const c of corpus.cases) await client.append('INBOX', c.raw, [], c.internalDate);
    process.stdout.write(`seeded the demo mailbox with ${corpus.cases.length} submissions\n`);
  }
} finally {
  await client.logout();
}
