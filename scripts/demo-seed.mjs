#!/usr/bin/env node
// Fills the demo mailbox with the fixture generator's realistic submissions
// (once: a mailbox that already holds mail is left as it is), each APPENDed
// with its server receipt time around the deadline.
import { ImapFlow } from 'imapflow';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import {
  generateCorpus,
  makeRequestTextPdf,
  makeSealedRequestScanPdf,
  SEALED_REQUEST,
} from '@intake/fixture-generator';

/**
 * A sealed 请示 scan sent after its electronic copy, whose date differs: the demo's dashboard
 * shows the OCR text over the scan, the 请示's facts and the pair with the difference (issue 10).
 */
async function scanPairMails(to) {
  const mail = (subject, filename, content) =>
    new MailComposer({
      from: '长春市发改委 <office@fgw.changchun.test>',
      to,
      subject,
      text: '请查收。',
      attachments: [{ filename, content, contentType: 'application/pdf' }],
    })
      .compile()
      .build();
  const subject = '长春市生物医药产业集群申报材料（请示）';
  return [
    {
      raw: await mail(subject, '请示.pdf', await makeRequestTextPdf({ ...SEALED_REQUEST, date: '2020年5月15日' })),
      at: new Date('2020-05-12T02:00:00Z'),
    },
    {
      raw: await mail(`${subject}（补充扫描件）`, '扫描件.pdf', await makeSealedRequestScanPdf({ pages: 1 })),
      at: new Date('2020-05-12T03:00:00Z'),
    },
  ];
}

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
    const pair = await scanPairMails(user);
    for (const m of pair) await client.append('INBOX', m.raw, [], m.at);
    process.stdout.write(`seeded the demo mailbox with ${corpus.cases.length + pair.length} submissions\n`);
  }
} finally {
  await client.logout();
}
