/**
 * Where an archived message's bytes are when RAW_STORE=fs: a segment file under
 * DATA_DIR/raw/segments and the byte offset of its record there. A file per
 * message cost this machine's ext4 about a millisecond of kernel time per new
 * file (create + rename), more than the fetch itself; one segment per FETCH
 * batch costs one create, one fsync and one directory fsync. Rows archived
 * before this migration keep null here and are read from raw/<xx>/<sha>.eml.
 */
export const M014_RAW_SEGMENTS = {
  id: 14,
  name: 'raw-segments',
  sql: `
alter table raw_messages add column segment text;
alter table raw_messages add column segment_offset bigint;
`,
} as const;
