import type { SimpleParserOptions } from 'mailparser';

/**
 * simpleParser settings for submissions: forwarded messages stay attachments
 * (we open them ourselves, to keep their path), `cid:` links stay in the HTML
 * (to tell signature logos from attached photos), and nothing is converted
 * that we do not read.
 */
export const MIME_OPTIONS: SimpleParserOptions = {
  ignoreEmbedded: true,
  keepCidLinks: true,
  skipImageLinks: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  checksumAlgo: false,
  maxHtmlLengthToParse: 5_000_000,
};
