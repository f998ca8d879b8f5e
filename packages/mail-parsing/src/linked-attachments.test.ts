// Guards issue 9, item 8: files sent as download links instead of attachments.
// The blocks below imitate the real ones (shapes recorded in
// test/fixtures/reading/README.md): QQ Mail's 超大附件 in its text and HTML
// parts, 163's 超大附件 HTML with its app-download link that is not a file,
// and the share texts 百度网盘/阿里云盘/天翼云盘/115 put on the clipboard.
import { describe, expect, it } from 'vitest';
import { describeLinkedFiles, findLinkedAttachments, htmlToLinkText } from './linked-attachments.js';

const QQ_URL_1 =
  'http://mail.qq.com/cgi-bin/ftnExs_download?t=exs_ftn_download&k=2b61616e3e4e7ac476ba577b1e6100170755530659000155&code=eaac8a28';
const QQ_URL_2 =
  'http://mail.qq.com/cgi-bin/ftnExs_download?t=exs_ftn_download&k=0d6162347c50eb9910e028181e655557&code=3ab49ebe';

const QQ_TEXT = `省发展改革委高技术处：
    现将申报材料报上，扫描件较大，以超大附件发送。

从QQ邮箱发来的超大附件

请示盖章扫描件.pdf (25.36M, 2020年06月14日 10:30 到期)进入下载页面：${QQ_URL_1}
附件1申报材料扫描件.pdf (61.02M, 2020年06月14日 10:30 到期)进入下载页面：${QQ_URL_2}`;

const QQ_HTML = `<div>现将申报材料报上。</div>
<div style="width:auto;margin-top:20px;"><div style="padding:0 10px;"><b>从QQ邮箱发来的超大附件</b></div>
<div class="att_bt bigatt_bt" title="请示盖章扫描件.pdf&#13;文件大小：25.36M&#13;到期时间：2020年06月14日 10:30">
 <div style="float:left"><a href="${QQ_URL_1.replace(/&/g, '&amp;')}" target="_blank"><img src="https://rescdn.qqmail.com/zh_CN/htmledition/images/xdisk/ico_mid/fu_pdf.gif"></a></div>
 <div><div><a href="${QQ_URL_1.replace(/&/g, '&amp;')}" target="_blank">请示盖章扫描件.pdf</a><span style="color:#a0a0a0"> (25.36M, 2020年06月14日 10:30 到期)</span></div>
 <div><a href="${QQ_URL_1.replace(/&/g, '&amp;')}">下载</a></div></div></div>
<div class="att_bt bigatt_bt" title="附件1申报材料扫描件.pdf&#13;文件大小：61.02M">
 <div><div><a href="${QQ_URL_2.replace(/&/g, '&amp;')}">附件1申报材料扫描件.pdf</a><span> (61.02M, 2020年06月14日 10:30 到期)</span></div>
 <div><a href="${QQ_URL_2.replace(/&/g, '&amp;')}">下载</a></div></div></div></div>`;

const NETEASE_URL =
  'https://mail.163.com/large-attachment-download/index.html?p=X-NETEASE-HUGE-ATTACHMENT&file=djAyZG1meTh2';
const NETEASE_HTML = `<div style="padding:4px"><div><b>从网易163邮箱发来的超大附件</b>
<a class="bigattach-mailmaster-download" href="http://u.163.com/RcUwvU56g?spm=pos.free_webmail_1">推荐客户端极速下载</a></div>
<div style="clear:both;height:36px;padding:6px 4px"><div style="float:left;width:36px"><a href="${NETEASE_URL}"></a></div>
<div><div><a href="${NETEASE_URL}" filename="附件2重点项目汇总表（盖章）.pdf" download="${NETEASE_URL}">附件2重点项目汇总表（盖章）.pdf</a>
<span style="color:#bbb"> (12.4M, 2020年6月14日 0:49 到期)</span></div>
<div><a href="${NETEASE_URL}">下载</a></div></div></div></div>`;

describe('findLinkedAttachments', () => {
  it('reads both files of a QQ Mail 超大附件 text block with size, expiry and link', () => {
    const files = findLinkedAttachments(QQ_TEXT, null);
    expect(files.map((f) => [f.filename, f.url])).toEqual([
      ['请示盖章扫描件.pdf', QQ_URL_1],
      ['附件1申报材料扫描件.pdf', QQ_URL_2],
    ]);
    expect(files[0]).toMatchObject({ provider: 'QQ邮箱超大附件', size: '25.36M', expires: '2020年06月14日 10:30' });
  });

  it('reads the HTML part the same, once per file although each file is linked three times', () => {
    const files = findLinkedAttachments('', QQ_HTML);
    expect(files.map((f) => [f.filename, f.url])).toEqual([
      ['请示盖章扫描件.pdf', QQ_URL_1],
      ['附件1申报材料扫描件.pdf', QQ_URL_2],
    ]);
    // the text and the HTML part of one mail list each file once
    expect(findLinkedAttachments(QQ_TEXT, QQ_HTML)).toHaveLength(2);
  });

  it('reads a 163 超大附件 and leaves out the mail client download link', () => {
    const files = findLinkedAttachments('从网易163邮箱发来的超大附件', NETEASE_HTML);
    expect(files).toEqual([
      expect.objectContaining({
        filename: '附件2重点项目汇总表（盖章）.pdf',
        url: NETEASE_URL,
        provider: '网易邮箱超大附件',
      }),
    ]);
  });

  it.each([
    [
      '百度网盘 (old share text, no file name)',
      '链接：https://pan.baidu.com/s/1HPw8meI6W67xHKW58C-Q9g \n提取码：x926 \n复制这段内容后打开百度网盘手机App，操作更方便哦',
      { filename: null, url: 'https://pan.baidu.com/s/1HPw8meI6W67xHKW58C-Q9g', code: 'x926', provider: '百度网盘' },
    ],
    [
      '百度网盘 (new share text)',
      '通过百度网盘分享的文件：申报材料.zip\n链接：https://pan.baidu.com/s/1DD_XZHVS0ulo2s_wakHllQ?pwd=2e8g \n提取码：2e8g \n--来自百度网盘超级会员v3的分享',
      { filename: '申报材料.zip', url: 'https://pan.baidu.com/s/1DD_XZHVS0ulo2s_wakHllQ?pwd=2e8g', code: '2e8g' },
    ],
    [
      '阿里云盘',
      '「盖章扫描件.pdf」https://www.aliyundrive.com/s/pquxbpPfj2u 提取码: en86\n点击链接保存，或者复制本段内容，打开「阿里云盘」APP ，无需下载极速在线查看，视频原画倍速播放。',
      {
        filename: '盖章扫描件.pdf',
        url: 'https://www.aliyundrive.com/s/pquxbpPfj2u',
        code: 'en86',
        provider: '阿里云盘',
      },
    ],
    [
      '天翼云盘',
      '天翼：https://cloud.189.cn/t/IB3ieymQJ7re（访问码：uf34）',
      { filename: null, url: 'https://cloud.189.cn/t/IB3ieymQJ7re', code: 'uf34', provider: '天翼云盘' },
    ],
    [
      '115',
      '链接：https://115.com/s/swn4bs93wfz?password=k2d8\n全套申报材料.7z\n访问码：k2d8',
      {
        filename: '全套申报材料.7z',
        url: 'https://115.com/s/swn4bs93wfz?password=k2d8',
        code: 'k2d8',
        provider: '115网盘',
      },
    ],
  ])('reads a %s share', (_name, text, want) => {
    expect(findLinkedAttachments(text, null)).toEqual([expect.objectContaining(want)]);
  });

  it('lists nothing for ordinary links: the notice on the DRC site, a mail signature', () => {
    const text =
      '通知见 http://jldrc.jl.gov.cn/jgcs/gjsc/202005/t20200506_7001234.html\n腾讯企业邮箱 https://exmail.qq.com/login';
    expect(findLinkedAttachments(text, '<a href="https://www.baidu.com/">百度</a>')).toEqual([]);
  });

  it('says in the flag detail each file with its link, and that nothing was downloaded', () => {
    const detail = describeLinkedFiles(findLinkedAttachments(QQ_TEXT, null));
    expect(detail).toContain('请示盖章扫描件.pdf');
    expect(detail).toContain('附件1申报材料扫描件.pdf');
    expect(detail).toContain(QQ_URL_2);
    expect(detail).toMatch(/系统未下载/);
  });

  it('turns HTML into lines with each link marked after its text, script and style left out', () => {
    const t = htmlToLinkText(
      '<style>a{}</style><p>见<a href="https://pan.baidu.com/s/1abc">网盘</a></p><script>x()</script>',
    );
    expect(t.trim()).toBe('见网盘⟦https://pan.baidu.com/s/1abc||网盘⟧');
  });
});
