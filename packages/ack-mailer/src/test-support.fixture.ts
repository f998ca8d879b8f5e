import type { TMailHeaders } from '@intake/domain';
import type { TAckContextInput } from './ack-context.js';
import type { OutgoingMail, SendResult, Transport } from './transport.js';

export const OUR_ADDRESS = 'intake@jldrc.example.cn';
export const SHA = 'a'.repeat(16) + 'b'.repeat(48);

export function makeHeaders(over: Partial<TMailHeaders> = {}): TMailHeaders {
  return {
    replyTo: null,
    fromAddress: 'fgw@changchun.example.cn',
    fromName: '长春市发改委',
    to: [OUR_ADDRESS],
    dateHeader: null,
    inReplyTo: null,
    references: [],
    autoSubmitted: null,
    precedence: null,
    listId: null,
    listUnsubscribe: null,
    xAutoResponseSuppress: null,
    authenticationResults: [],
    returnPath: '<fgw@changchun.example.cn>',
    loopGuard: null,
    contentType: 'multipart/mixed; boundary="x"',
    ...over,
  };
}

export function makeAckContext(over: Partial<TAckContextInput> = {}): TAckContextInput {
  return {
    sourceSha256: SHA,
    receiptNo: '2020-0007-2',
    applicationReceiptNo: '2020-0007',
    original: {
      messageId: '<orig-1@changchun.example.cn>',
      subject: '长春市生物医药产业集群申报材料',
      from: '长春市发改委 <fgw@changchun.example.cn>',
      replyTo: null,
      references: ['<earlier-0@changchun.example.cn>'],
    },
    receivedAt: '2020-05-14T02:03:04Z',
    attachments: [
      { filename: '请示.pdf', path: '请示.pdf', kind: 'pdf', copy: 'scan', roles: ['formal-document'] },
      {
        filename: '附件2.xlsx',
        path: '材料.zip/附件2.xlsx',
        kind: 'spreadsheet',
        copy: 'electronic',
        roles: ['project-table'],
      },
      {
        filename: '坏文件.docx',
        path: '坏文件.docx',
        kind: 'document',
        copy: 'unknown',
        roles: [],
        error: '文件已损坏',
      },
    ],
    application: {
      applicantName: '长春市',
      cluster: '长春市生物医药产业集群',
      copies: { scan: true, electronic: false },
      documents: { formalDocument: true, materials: false, projectTable: true },
      flags: [
        { code: 'MISSING_ELECTRONIC', label: '缺少电子版', detail: '' },
        { code: 'FEW_LARGE_PROJECTS', label: '3000万元以上项目不足10个', detail: '附件2中识别到 7 个' },
        { code: 'DUPLICATE_PROJECT', label: '项目与其他申报重复', detail: '与吉林市的申报重复：某某项目' },
      ],
      metrics: {
        totalOutput2019: 62.5,
        largeEnterprises: 7,
        projectCount: 12,
        largeProjects: 7,
        totalInvestment: 812000,
      },
      messageCount: 2,
      late: false,
    },
    deadline: '2020-05-15T23:59:59+08:00',
    timezone: 'Asia/Shanghai',
    contact: '省发展改革委高技术处 0431-88906750',
    submitTo: 'wangh@jldrc.example.cn',
    ...over,
  };
}

type Behaviour = 'ok' | Error | (() => Promise<void>);

/** Records every send; `failWith` queues outcomes for the next sends (then 'ok'). */
export class FakeTransport implements Transport {
  readonly sent: OutgoingMail[] = [];
  readonly attempts: OutgoingMail[] = [];
  private readonly queue: Behaviour[] = [];
  failWith(...b: Behaviour[]): this {
    this.queue.push(...b);
    return this;
  }
  async sendMail(mail: OutgoingMail): Promise<SendResult> {
    this.attempts.push(mail);
    const b = this.queue.shift() ?? 'ok';
    if (b instanceof Error) throw b;
    if (typeof b === 'function') await b();
    this.sent.push(mail);
    return {
      messageId: mail.messageId,
      response: `250 2.0.0 Ok: queued as Q${this.sent.length}`,
      accepted: [mail.to],
      rejected: [],
    };
  }
}

export function smtpError(code: string, responseCode?: number, extra: Record<string, unknown> = {}): Error {
  const e = new Error(responseCode ? `${responseCode} something` : 'connection trouble') as Error &
    Record<string, unknown>;
  e.code = code;
  if (responseCode) {
    e.responseCode = responseCode;
    e.response = `${responseCode} something`;
  }
  Object.assign(e, extra);
  return e;
}
