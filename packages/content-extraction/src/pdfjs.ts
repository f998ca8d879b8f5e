// The one door to pdf.js (and pdf-parse, which loads it) in this package.
//
// pdf.js' legacy build, the one for Node, carries core-js polyfills. On Node 20 (V8 11) one of them
// replaces Array.prototype.push for the whole realm with a JavaScript function, for an edge case
// (array-likes past 2^32 elements) nobody here has; every push in the thread then runs about three
// times slower: mailparser, exceljs, xmldom, imapflow and pg alike. pdf.js needs the methods the
// other polyfills add (Promise.withResolvers, Uint8Array.toBase64, …), not that one: the engine's
// own push is put back as soon as pdf.js has loaded.
import { arrayPushBeforePdfjs } from './array-push-before-pdfjs.js';
import { OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { PDFParse } from 'pdf-parse';

// A push other than the one captured just before pdf.js loaded can only be pdf.js' own. (Where
// pdf.js was loaded earlier in the realm, as by the bench's bare loop, the capture is pdf.js' too and
// this changes nothing. core-js makes its functions' source read "[native code]", so only identity tells.)
if (Array.prototype.push !== arrayPushBeforePdfjs) {
  Object.defineProperty(Array.prototype, 'push', {
    value: arrayPushBeforePdfjs,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}

export { OPS, PDFParse };
