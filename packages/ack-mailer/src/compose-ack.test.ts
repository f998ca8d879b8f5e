// Guards: the reply threads under the original, marks itself as automatic
// (RFC 3834), states the application's state in Chinese, and nothing an
// email supplies can add headers or markup to our reply.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAckSubject, composeReminder, composeAck } from './compose-ack.js';
import { makeAckContext, OUR_ADDRESS, SHA } from './test-support.fixture.js';

const opts = { from: `高技术处 <${OUR_ADDRESS}>`, timezone: 'Asia/Shanghai' };

// issue 12.1: the 回执 to a stranger's mail naming 长春市 told them 长春市's figures and missing items
describe('composeAck for a sender not confirmed for the applicant (receiptOnly)', () => {
  const stranger = makeAckContext({
    receiptOnly: true,
    original: {
      messageId: '<x1@freemail.example>',
      subject: '补充盖章扫描件——长春市生物医药产业集群',
      from: '某人 <someone@freemail.example>',
      replyTo: null,
      references: [],
    },
    resend: { changes: ['本次新增：扫描版'] },
  });
  const r = composeAck(stranger, opts);

  it('acknowledges this mail: its time, subject and file names, and the contact', () => {
    expect(r.to).toBe('someone@freemail.example');
    expect(r.subject).toBe('Re: 补充盖章扫描件——长春市生物医药产业集群（收件回执）');
    for (const part of [r.text, r.html]) {
      expect(part).toContain('2020-05-14 10:03:04');
      expect(part).toContain('请示.pdf');
      expect(part).toContain('附件2.xlsx');
      expect(part).toContain('0431-88906750');
    }
    expect(r.headers['Auto-Submitted']).toBe('auto-replied');
  });

  it('reveals nothing else: no receipt numbers, figures, missing items, flags, roles, deadline or applicant', () => {
    const { subject, ...other } = r;
    expect(subject).not.toMatch(/受理编号|2020-0007/);
    for (const part of [other.text, other.html]) {
      for (const secret of [
        '2020-0007',
        '受理编号',
        '62.5',
        '812000',
        '缺少',
        '不足',
        '重复',
        '正式申报文件',
        '扫描版',
        '截止',
        '本次新增',
        '文件已损坏',
      ])
        expect(part, secret).not.toContain(secret);
      // the applicant and cluster appear only inside the sender's own subject line
      expect(part.replaceAll('补充盖章扫描件——长春市生物医药产业集群', '')).not.toMatch(/长春|生物医药/);
    }
  });

  it('stays receipt-only whatever an edited ack template says', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ack-tpl-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'ack-receipt-only.zh.txt.mustache'),
        '{{applicationReceiptNo}}{{state.metrics}}|{{subject}}',
      );
      const edited = composeAck(stranger, { ...opts, templateDir: dir });
      expect(edited.text).toBe('|补充盖章扫描件——长春市生物医药产业集群');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('composeAck', () => {
  const r = composeAck(makeAckContext(), opts);

  it('threads under the original and marks itself automatic', () => {
    expect(r.to).toBe('fgw@changchun.example.cn');
    expect(r.from).toBe(OUR_ADDRESS);
    expect(r.subject).toBe('Re: 长春市生物医药产业集群申报材料 [受理编号 2020-0007-2]');
    expect(r.inReplyTo).toBe('<orig-1@changchun.example.cn>');
    expect(r.references).toEqual(['<earlier-0@changchun.example.cn>', '<orig-1@changchun.example.cn>']);
    expect(r.headers['Auto-Submitted']).toBe('auto-replied');
    expect(r.headers['X-Auto-Response-Suppress']).toBe('All');
    expect(r.headers['X-Intake-Loop']).toBe(r.messageId.slice(1, -1));
    expect(Object.keys(r.headers).map((h) => h.toLowerCase())).not.toContain('precedence');
  });

  it('gives the same Message-ID for the same message and kind, another for a resend', () => {
    expect(composeAck(makeAckContext(), opts).messageId).toBe(r.messageId);
    expect(r.messageId).toBe(`<ack.${SHA.slice(0, 32)}.ack@jldrc.example.cn>`);
    expect(composeAck(makeAckContext(), { ...opts, kind: 'resend-1' }).messageId).not.toBe(r.messageId);
  });

  it('states receipt, server time in the profile zone, attachments, state and deadline in Chinese', () => {
    for (const part of [r.text, r.html]) {
      expect(part).toContain('2020-0007-2');
      expect(part).toContain('2020-05-14 10:03:04'); // 02:03:04Z in Asia/Shanghai
      expect(part).toContain('2020-05-15 23:59:59');
      expect(part).toContain('正式申报文件');
      expect(part).toContain('项目汇总表（附件2）');
      expect(part).toContain('扫描版');
      expect(part).toContain('文件已损坏');
      expect(part).toContain('缺少电子版');
      expect(part).toContain('缺少申报材料（附件1）');
      expect(part).toContain('3000万元以上项目不足10个');
      expect(part).toContain('扫描版和电子版各1份');
      expect(part).toContain('wangh@jldrc.example.cn');
      // "reply to this mail" names the desk's own address, not an empty pair of brackets
      expect(part).toContain(`直接回复本邮件（${OUR_ADDRESS}）`);
      // the other application's name stays out of this applicant's reply
      expect(part).not.toContain('吉林市');
    }
    expect(r.text).toMatch(/1\. 请示\.pdf —— 正式申报文件，扫描版/);
    expect(r.text).toMatch(/2\. 材料\.zip\/附件2\.xlsx —— 重点项目汇总表（附件2），电子版/);
    expect(r.text).toMatch(/3\. 坏文件\.docx —— 用途未识别，副本类型未识别；无法读取：文件已损坏/);
    expect(r.text).toContain('✓ 正式申报文件');
    expect(r.text).not.toContain('&'); // text stays text: no HTML entities
  });

  it('says so when complete, and lists what changed on a resend', () => {
    const base = makeAckContext();
    const complete = composeAck(
      {
        ...base,
        application: {
          ...base.application,
          copies: { scan: true, electronic: true },
          documents: { formalDocument: true, materials: true, projectTable: true },
          flags: [],
        },
        resend: { changes: ['新增扫描版', '已补齐申报材料（附件1）'] },
      },
      { ...opts, kind: 'resend-1' },
    );
    expect(complete.text).toContain('材料已齐全');
    expect(complete.text).not.toContain('✗');
    expect(complete.text).toContain('· 已补齐申报材料（附件1）');
    expect(complete.html).toContain('<li>新增扫描版</li>');
    expect(complete.subject).toContain('（更新）');
  });

  it('replies to From, never Reply-To (issue 12.2), strips reply prefixes and earlier receipt tags, and handles no subject', () => {
    const base = makeAckContext();
    const c = composeAck(
      { ...base, original: { ...base.original, replyTo: 'Zhang <zhang@elsewhere.example.cn>', subject: '' } },
      opts,
    );
    expect(c.to).toBe('fgw@changchun.example.cn');
    expect(c.subject).toBe('回执：[受理编号 2020-0007-2]');
    expect(buildAckSubject('回复：Re: 材料 [受理编号 2020-0007-1]', '2020-0007-2')).toBe(
      'Re: 材料 [受理编号 2020-0007-2]',
    );
  });

  it('quotes at most 60 characters of the subject, with links and domains neutralised (issue 12.2)', () => {
    const base = makeAckContext();
    const spam = `Click.ME 免费领取 http://evil.example.com/x 或访问 www.spam.cn ${'很长的广告'.repeat(20)}`;
    const c = composeAck(
      {
        ...base,
        original: { ...base.original, subject: spam },
        attachments: [
          ...base.attachments,
          { filename: 'visit-evil.com.pdf', path: 'visit-evil.com.pdf', kind: 'pdf', copy: 'scan', roles: [] },
        ],
      },
      opts,
    );
    const quoted = /^Re: (.*) \[受理编号 2020-0007-2\]$/.exec(c.subject)?.[1] ?? '';
    expect(quoted.length).toBeLessThanOrEqual(60 + 20);
    expect(quoted).toContain('hxxp[:]//evil[.]example[.]com/x');
    expect(quoted).toContain('www[.]spam[.]cn');
    expect(quoted).toContain('Click[.]ME');
    expect(quoted.endsWith('…')).toBe(true);
    for (const body of [c.text, c.html]) {
      expect(body.split('\n').filter((l) => /https?:\/\/evil|www\.spam|evil\.com/i.test(l))).toEqual([]);
      expect(body).toContain('visit-evil[.]com[.]pdf');
    }
    expect(c.text).toContain('请示.pdf');
  });

  it('keeps hostile subjects, file names and names out of headers and markup', () => {
    const base = makeAckContext();
    const evil = composeAck(
      {
        ...base,
        original: {
          ...base.original,
          subject: '申报\r\nBcc: victim@evil.example\r\nX-Injected: 1',
          messageId: '<ok@x.cn>\r\nBcc: a@b.cn',
          references: ['<fine@x.cn>', 'bad id with spaces', '<x@y>\nBcc: c@d.cn'],
          from: 'Evil <evil@evil.example>\r\nBcc: other@evil.example',
        },
        attachments: [
          {
            filename: 'a\r\nBcc: x@y.cn<script>alert(1)</script>.pdf',
            path: '<img src=x onerror=alert(1)>.pdf',
            kind: 'pdf',
            copy: 'scan',
            roles: [],
          },
        ],
        application: { ...base.application, applicantName: '<b>长春</b>', cluster: '"><script>x</script>' },
      },
      opts,
    );
    expect(evil.subject).not.toMatch(/[\r\n]/);
    expect(evil.subject.startsWith('Re: 申报 Bcc: victim@evil.example X-Injected: 1')).toBe(true);
    expect(evil.inReplyTo).toBeNull(); // a Message-ID with a line break in it is dropped, not repaired
    expect(evil.references).toEqual(['<fine@x.cn>']);
    expect(evil.to).toBe('evil@evil.example');
    for (const v of [evil.to, evil.subject, ...Object.values(evil.headers), ...evil.references])
      expect(v).not.toMatch(/[\r\n\u0000-\u001f]/);
    expect(evil.html).not.toContain('<script>');
    expect(evil.html).not.toContain('<img');
    expect(evil.html).not.toContain('<b>长春');
    expect(evil.html).toContain('&lt;img src');
    expect(evil.html).toContain('&lt;b&gt;长春&lt;&#x2F;b&gt;');
    expect(evil.text).toContain('<img src=x onerror=alert(1)>.pdf'); // text part: shown as text, unescaped
    expect(evil.text).not.toMatch(/\nBcc:/);
  });

  it('rejects a sender it cannot address', () => {
    const base = makeAckContext();
    expect(() => composeAck({ ...base, original: { ...base.original, from: 'nobody' } }, opts)).toThrow(
      /usable address/,
    );
  });

  it('reads staff-edited templates from templateDir, falling back per file, and refuses unescaped HTML', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ack-tpl-'));
    fs.writeFileSync(path.join(dir, 'ack.zh.txt.mustache'), '编号 {{receiptNo}}：{{subject}}');
    const c = composeAck(makeAckContext(), { ...opts, templateDir: dir });
    expect(c.text).toBe('编号 2020-0007-2：长春市生物医药产业集群申报材料');
    expect(c.html).toContain('<!DOCTYPE html>');
    fs.writeFileSync(path.join(dir, 'ack.zh.html.mustache'), '<p>{{{subject}}}</p>');
    expect(() => composeAck(makeAckContext(), { ...opts, templateDir: dir })).toThrow(/unescaped/);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('composeReminder', () => {
  const base = makeAckContext();
  const common = { deadline: base.deadline, timezone: 'Asia/Shanghai', contact: base.contact, submitTo: base.submitTo };

  it('lists what is missing and threads under the latest mail', () => {
    const r = composeReminder(
      {
        ...common,
        applicant: { code: '220100', name: '长春市' },
        applicationReceiptNo: '2020-0007',
        application: base.application,
        original: { ...base.original, references: [] },
      },
      { ...opts, to: 'fgw@changchun.example.cn', sourceSha256: SHA, kind: 'reminder-2020-05-13-220100' },
    );
    expect(r.subject).toBe('提醒：长春市申报材料尚未齐全，截止时间 2020-05-15 23:59 [受理编号 2020-0007]');
    expect(r.text).toContain('✗ 缺少电子版');
    expect(r.headers['Auto-Submitted']).toBe('auto-generated');
    expect(r.inReplyTo).toBe('<orig-1@changchun.example.cn>');
  });

  it('reminds a unit that has not applied', () => {
    const r = composeReminder(
      {
        ...common,
        applicant: { code: '220200', name: '吉林市' },
        applicationReceiptNo: null,
        application: null,
        original: null,
      },
      { ...opts, to: 'fgw@jilin.example.cn', sourceSha256: SHA, kind: 'reminder-2020-05-13-220200' },
    );
    expect(r.subject).toBe('提醒：尚未收到吉林市的申报材料，截止时间 2020-05-15 23:59');
    expect(r.text).toContain('尚未收到贵单位');
    expect(r.references).toEqual([]);
  });
});
