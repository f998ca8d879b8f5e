import { Parser } from 'htmlparser2';
import { providerOf } from './link-providers.js';

/**
 * Files a mail gives as download links instead of attachments: the 超大附件
 * blocks QQ Mail, Foxmail and 163/126 insert into the body (HTML and text
 * parts), and 网盘 shares pasted by staff (百度网盘 链接 + 提取码, 阿里云盘
 * 「name」 link, 天翼云盘 （访问码：…）…). Nothing is fetched: the links are
 * listed for staff, who download them by hand (LINKED_ATTACHMENT).
 */
export interface LinkedFile {
  /** the file's name when the mail says it, else null */
  filename: string | null;
  url: string;
  /** QQ邮箱超大附件, 百度网盘… */
  provider: string;
  /** 提取码 / 访问码 */
  code: string | null;
  /** "2020年06月14日 10:30" as the block states it */
  expires: string | null;
  size: string | null;
  /** the line the link was found on, for the evidence */
  context: string;
}

/** Links listed per message at most; a mail with more is a link farm, not a submission. */
export const MAX_LINKED_FILES = 30;
/** HTML bodies larger than this are not scanned (the text part still is). */
export const MAX_HTML_CHARS = 2_000_000;

const URL_RE = /https?:\/\/[^\s<>"'“”‘’（）()【】，。；、\u3000]+/gi;
const MARK_RE = /⟦([^⟧|]*)\|([^⟧|]*)\|([^⟧]*)⟧/g;
const FILE_LIKE = /^[^\s/\\:*?"<>|]{1,120}\.(pdf|docx?|xlsx?|wps|et|ofd|zip|rar|7z|jpe?g|png|tiff?|csv|txt|pptx?)$/i;
const NOT_A_NAME =
  /^(下载|点击下载|进入下载页面|预览|收藏|打开|查看|在线预览|推荐客户端极速下载|保存到网盘|转存|链接|点击链接)$/;
const CODE_RE = /(?:提取码|访问码|提取密码|访问密码|密码)\s*[:：]?\s*[(（]?\s*([A-Za-z0-9]{4,8})/;
const EXPIRES_RE = /(\d{4}年\d{1,2}月\d{1,2}日(?:\s*\d{1,2}:\d{2})?)\s*到期/;
const SIZE_RE = /[(（]\s*([\d.]+\s*[KMGT]B?)\s*[,，]/i;

const BLOCK_TAGS = new Set([
  'div',
  'p',
  'br',
  'tr',
  'li',
  'table',
  'tbody',
  'h1',
  'h2',
  'h3',
  'h4',
  'section',
  'blockquote',
  'hr',
]);

const unbar = (s: string): string => s.replace(/[|⟦⟧]/g, '');

/** The HTML body as lines of text, each anchor followed by ⟦href|filename attribute|anchor text⟧. */
export function htmlToLinkText(html: string): string {
  const out: string[] = [];
  const anchors: Array<{ href: string; name: string; text: string }> = [];
  let skip = 0;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'script' || name === 'style') skip++;
        if (BLOCK_TAGS.has(name)) out.push('\n');
        if (name === 'a')
          anchors.push({ href: attrs.href ?? '', name: attrs.filename ?? attrs.download ?? '', text: '' });
      },
      ontext(text) {
        if (skip > 0) return;
        const t = text.replace(/\s+/g, ' ');
        out.push(t);
        for (const a of anchors) a.text += t;
      },
      onclosetag(name) {
        if (name === 'script' || name === 'style') skip = Math.max(0, skip - 1);
        if (name === 'a') {
          const a = anchors.pop();
          if (a?.href) out.push(`⟦${unbar(a.href)}|${unbar(a.name)}|${unbar(a.text.trim())}⟧`);
        }
        if (BLOCK_TAGS.has(name)) out.push('\n');
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html.slice(0, MAX_HTML_CHARS));
  parser.end();
  return out.join('');
}

interface Mention {
  url: string;
  line: string;
  prevLine: string;
  nextLine: string;
  /** the anchor's own text (HTML) */
  anchorText: string;
  attrName: string;
}

function cleanUrl(url: string): string {
  return url.replace(/&amp;/g, '&').replace(/[.,;，。；)）\]】>]+$/, '');
}

/** Every link on every line, with the text around it. */
function mentions(text: string): Mention[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const out: Mention[] = [];
  // the next non-empty line of each line, found once from the end (a body of blank lines stays linear)
  const next: string[] = new Array<string>(lines.length).fill('');
  for (let i = lines.length - 2; i >= 0; i--) next[i] = lines[i + 1] || next[i + 1] || '';
  const prevText = (i: number): string =>
    lines
      .slice(Math.max(0, i - 2), i)
      .filter(Boolean)
      .pop() ?? '';
  lines.forEach((line, i) => {
    const nextLine = next[i] ?? '';
    for (const m of line.matchAll(MARK_RE)) {
      out.push({
        url: cleanUrl(m[1] ?? ''),
        line: line.replace(MARK_RE, ' '),
        prevLine: prevText(i).replace(MARK_RE, ' '),
        nextLine: nextLine.replace(MARK_RE, ' '),
        anchorText: m[3] ?? '',
        attrName: m[2] ?? '',
      });
    }
    const plain = line.replace(MARK_RE, ' ');
    for (const m of plain.matchAll(URL_RE)) {
      out.push({ url: cleanUrl(m[0]), line: plain, prevLine: prevText(i), nextLine, anchorText: '', attrName: '' });
    }
  });
  return out;
}

function nameFrom(m: Mention): string | null {
  // the next line counts only when it is a file name and nothing else (115's share text puts it there)
  const candidates = [
    m.attrName,
    m.anchorText,
    ...namesInText(m.line, m.url),
    ...namesInText(m.prevLine, ''),
    m.nextLine,
  ];
  for (const c of candidates) {
    const t = c.trim().replace(/^[「『“"]|[」』”"]$/g, '');
    if (t && !NOT_A_NAME.test(t) && FILE_LIKE.test(t)) return t;
  }
  return null;
}

/** File names a line states: 「name」, 分享的文件：name, or "name (12.3M, … 到期)". */
function namesInText(line: string, url: string): string[] {
  const s = url ? line.replace(url, ' ') : line;
  const out: string[] = [];
  for (const m of s.matchAll(/[「『]([^」』]{1,120})[」』]/g)) out.push(m[1] ?? '');
  const shared = /分享(?:的文件|了)[:：]?\s*([^\s，,。]+)/.exec(s);
  if (shared?.[1]) out.push(shared[1]);
  const sized = /([^\s()（）:：]{1,120}?)\s*[(（]\s*[\d.]+\s*[KMGT]B?\s*[,，]/i.exec(s);
  if (sized?.[1]) out.push(sized[1]);
  for (const m of s.matchAll(
    /[^\s:：，,。；;「」()（）]{1,120}\.(pdf|docx?|xlsx?|wps|et|ofd|zip|rar|7z|jpe?g|png|tiff?|csv|txt|pptx?)/gi,
  ))
    out.push(m[0]);
  return out;
}

/** The linked files of a message's text part and HTML part (deduplicated by link). */
export function findLinkedAttachments(text: string, html: string | null): LinkedFile[] {
  const all = [...mentions(text), ...(html ? mentions(htmlToLinkText(html)) : [])];
  const byUrl = new Map<string, LinkedFile>();
  for (const m of all) {
    const provider = providerOf(m.url);
    if (!provider) continue;
    const prev = byUrl.get(m.url);
    const around = `${m.line} ${m.nextLine}`;
    const code =
      CODE_RE.exec(m.line)?.[1] ??
      CODE_RE.exec(m.nextLine)?.[1] ??
      /[?&](?:pwd|password)=([A-Za-z0-9]{4,8})(?:[&#]|$)/.exec(m.url)?.[1] ??
      null;
    const file: LinkedFile = {
      filename: prev?.filename ?? nameFrom(m),
      url: m.url,
      provider: provider.label,
      code: prev?.code ?? code,
      expires: prev?.expires ?? EXPIRES_RE.exec(`${m.prevLine} ${around}`)?.[1] ?? null,
      size: prev?.size ?? SIZE_RE.exec(`${m.prevLine} ${m.line}`)?.[1] ?? null,
      context: prev?.context ?? m.line.slice(0, 200),
    };
    byUrl.set(m.url, file);
    if (byUrl.size >= MAX_LINKED_FILES) break;
  }
  return [...byUrl.values()];
}

/** LINKED_ATTACHMENT's detail: each file with its link, in Chinese. */
export function describeLinkedFiles(files: LinkedFile[]): string {
  const items = files.map((f, i) => {
    const facts = [
      f.provider,
      f.size,
      f.expires ? `${f.expires}到期` : null,
      f.code ? `提取码 ${f.code}` : null,
    ].filter(Boolean);
    return `${i + 1}. ${f.filename ?? '（未注明文件名）'}（${facts.join('，')}）${f.url.slice(0, 400)}`;
  });
  return `${files.length}个文件以下载链接方式提供，系统未下载，请人工下载后核对：${items.join('；')}`;
}
