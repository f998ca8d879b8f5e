/**
 * Where big files are sent instead of attached: the mail clients' own
 * 超大附件/云附件 services and the 网盘 staff share from. Each entry is the
 * URL shape of a download or share page (never fetched). Sources, written
 * down in test/fixtures/reading/README.md: the QQ/163/189/Sina link shapes
 * that mail downloaders parse (Litrix2/MailDownloader, and the QQ Mail
 * Android client's "/cgi-bin/ftnExs_download?" constant that Foxmail links
 * share), the 网盘 share URL shapes of qaiu/netdisk-fast-download
 * (PanDomainTemplate.java), and share texts as the 网盘 apps copy them.
 */
export interface LinkProvider {
  /** shown to staff: QQ邮箱超大附件, 百度网盘… */
  label: string;
  /** a mail client's big-attachment service (rather than a 网盘 someone shared from) */
  mailService: boolean;
  url: RegExp;
}

export const LINK_PROVIDERS: LinkProvider[] = [
  {
    label: 'QQ邮箱超大附件',
    mailService: true,
    url: /^https?:\/\/([\w-]+\.)*(mail|exmail)\.qq\.com\/cgi-bin\/ftnExs_download\?/i,
  },
  { label: 'QQ邮箱超大附件', mailService: true, url: /^https?:\/\/i?wx\.mail\.qq\.com\/ftn\/download\?/i },
  { label: 'QQ邮箱文件中转站', mailService: true, url: /^https?:\/\/([\w-]+\.)*ftn\.qq\.com\//i },
  { label: 'QQ邮箱云盘', mailService: true, url: /^https?:\/\/i?wx\.mail\.qq\.com\/s\?k=/i },
  {
    label: '网易邮箱超大附件',
    mailService: true,
    url: /^https?:\/\/mail\.(163|126|yeah)\.(com|net)\/large-attachment-download\//i,
  },
  {
    label: '网易邮箱大师云附件',
    mailService: true,
    url: /^https?:\/\/dashi\.163\.com\/html\/cloud-attachment-download\//i,
  },
  { label: '新浪邮箱超大附件', mailService: true, url: /^https?:\/\/mail\.sina\.com\.cn\/filecenter\/download\.php/i },
  {
    label: '189邮箱超大附件',
    mailService: true,
    url: /^https?:\/\/download\.cloud\.189\.cn\/file\/downloadFile\.action/i,
  },
  {
    label: '百度网盘',
    mailService: false,
    url: /^https?:\/\/(pan|yun)\.baidu\.com\/(s\/|share\/init\?surl=|share\/link\?)/i,
  },
  { label: '阿里云盘', mailService: false, url: /^https?:\/\/(www\.)?(aliyundrive\.com|alipan\.com)\/s\//i },
  { label: '腾讯微云', mailService: false, url: /^https?:\/\/share\.weiyun\.com\//i },
  {
    label: '天翼云盘',
    mailService: false,
    url: /^https?:\/\/(h5\.)?cloud\.189\.cn\/(t\/|web\/share\?code=|share\.html)/i,
  },
  { label: '115网盘', mailService: false, url: /^https?:\/\/(115|anxia|115cdn)\.com\/s\//i },
  { label: '夸克网盘', mailService: false, url: /^https?:\/\/pan\.quark\.cn\/s\//i },
  { label: '迅雷云盘', mailService: false, url: /^https?:\/\/pan\.xunlei\.com\/s\//i },
  { label: '中国移动云盘', mailService: false, url: /^https?:\/\/(caiyun|yun)\.139\.com\//i },
  {
    label: '蓝奏云',
    mailService: false,
    url: /^https?:\/\/([\w-]+\.)?(lanzou[a-z]?|lanzn|lanzv|lanpw|woozooo)\.com\//i,
  },
  { label: '123云盘', mailService: false, url: /^https?:\/\/([\w-]+\.)?123pan\.(com|cn)\/s\//i },
  { label: '微信文件', mailService: false, url: /^https?:\/\/drive\.weixin\.qq\.com\/s\?/i },
  { label: '腾讯文档', mailService: false, url: /^https?:\/\/docs\.qq\.com\/(doc|sheet|pdf)\//i },
  { label: 'WPS云文档', mailService: false, url: /^https?:\/\/([\w-]+\.)?kdocs\.cn\/l\//i },
  { label: '文叔叔', mailService: false, url: /^https?:\/\/(www\.)?wenshushu\.cn\/f\//i },
  { label: '奶牛快传', mailService: false, url: /^https?:\/\/([\w-]+\.)?cowtransfer\.com\/s\//i },
  { label: '飞书云盘', mailService: false, url: /^https?:\/\/[\w-]+\.feishu\.cn\/(file|drive\/folder)\//i },
  { label: 'OneDrive', mailService: false, url: /^https?:\/\/(1drv\.ms|onedrive\.live\.com)\//i },
  { label: 'Google Drive', mailService: false, url: /^https?:\/\/drive\.google\.com\/(file\/d|drive\/folders)\//i },
  { label: 'Dropbox', mailService: false, url: /^https?:\/\/(www\.)?dropbox\.com\/(s|scl\/fi)\//i },
];

export function providerOf(url: string): LinkProvider | null {
  return LINK_PROVIDERS.find((p) => p.url.test(url)) ?? null;
}
