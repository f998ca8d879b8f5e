/**
 * Names the models and settings that produce a page record. Changes whenever
 * they change what is read: cached records of another engine are read again.
 * (Its own module so the caller's side never loads onnxruntime.)
 */
export const ENGINE_ID = 'ppocr-v4/ppu-paddle-ocr-6.3/per-box/pad0.6/1600/r1';
