// Guards issue 10 §5 across messages: the sealed scan often comes in a resend, after the
// electronic copy. The register keeps each attachment's pairing facts (migration 007) and pairs
// over the whole application; a disagreement raises SCAN_ELECTRONIC_MISMATCH on the application,
// a match names each file as the other's copy in the application page and the export. Facts are
// written by hand.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApplicantDirectory, loadCampaignProfile, type TCopyFacts } from '@intake/domain';
import { normalizeForPairing } from '@intake/validation-rules';
import { getApplication } from './applications.js';
import { storeCopyFacts } from './copy-facts.js';
import { exportRegisterJson } from './exports/register-json.js';
import { registerMessage } from './register-message.js';
import { validateApplication } from './validate-application.js';
import {
  attachment,
  electronicMaterials,
  parsedMessage,
  projectTable,
  projects,
  registerInput,
} from './testing/factories.js';
import { openTestDb, type TestDb } from './testing/test-db.js';

const profile = loadCampaignProfile();
const REQUEST =
  '长春市发展和改革委员会长发改高技〔2020〕86号关于申报长春市生物医药产业集群的请示省发展改革委根据通知要求我委认真组织开展了申报工作妥否请批示长春市发展和改革委员会2020年5月12日';

const scan = attachment('扫描件.pdf', { kind: 'pdf', copy: 'scan', roles: ['formal-document'] });
const docx = attachment('请示.docx', { kind: 'document', copy: 'electronic', roles: ['formal-document'] });

function facts(a: typeof scan, date: string): TCopyFacts {
  return {
    sha256: a.sha256,
    path: a.path,
    copy: a.copy,
    roles: a.roles,
    text: normalizeForPairing(REQUEST.replace('2020年5月12日', date)),
    projectNames: [],
    projectCount: null,
    totalInvestment: null,
    uncertainAmounts: false,
    document: {
      number: '长发改高技〔2020〕86号',
      issuer: '长春市发展和改革委员会',
      title: '关于申报长春市生物医药产业集群的请示',
      date: date.replace(
        /(\d+)年(\d+)月(\d+)日/,
        (_, y: string, m: string, d: string) => `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`,
      ),
      sealed: a.copy === 'scan' ? true : null,
    },
  };
}

describe('scan ↔ electronic pairing across messages (pglite)', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb('pglite', {});
  }, 120_000);
  afterAll(async () => {
    await t?.cleanup();
  }, 60_000);
  beforeEach(async () => {
    await t.reset();
  });

  async function registerPair(scanDate: string) {
    const first = await registerMessage(
      t.db,
      registerInput(
        parsedMessage({ attachments: [docx, electronicMaterials(), projectTable()], projects: projects('长春', 12) }),
        profile,
      ),
    );
    await storeCopyFacts(t.db, first.messageRowId, [facts(docx, '2020年5月12日')]);
    const resend = await registerMessage(
      t.db,
      registerInput(
        parsedMessage({ subject: '补充扫描件', receivedAt: '2020-05-11T02:00:00.000Z', attachments: [scan] }),
        profile,
      ),
    );
    expect(resend.applicationId).toBe(first.applicationId);
    await storeCopyFacts(t.db, resend.messageRowId, [facts(scan, scanDate)]);
    return (await validateApplication(t.db, first.applicationId, profile)).evaluation!;
  }

  it('GIVEN the scan in a resend WHEN it matches THEN each names the other, with no mismatch', async () => {
    const ev = await registerPair('2020年5月12日');
    expect(ev.copyPairs).toHaveLength(1);
    expect(ev.flags.map((f) => f.code)).not.toContain('SCAN_ELECTRONIC_MISMATCH');
    const app = await getApplication(t.db, await appId());
    const all = app!.messages.flatMap((m) => m.attachments);
    expect(all.find((a) => a.path === '扫描件.pdf')).toMatchObject({ copyOf: docx.sha256, similarity: 1 });
    expect(all.find((a) => a.path === '请示.docx')).toMatchObject({ copyOf: scan.sha256, similarity: 1 });
    const exported = await exportRegisterJson(t.db, profile, buildApplicantDirectory(profile));
    const atts = exported.applications[0]!.messages.flatMap((m) => m.attachments);
    expect(atts.find((a) => a.path === '请示.docx')?.copyOf).toBe(scan.sha256);
  });

  it('GIVEN the scan in a resend WHEN its date differs THEN the application gets SCAN_ELECTRONIC_MISMATCH', async () => {
    const ev = await registerPair('2020年5月15日');
    expect(ev.flags.filter((f) => f.code === 'SCAN_ELECTRONIC_MISMATCH').map((f) => f.detail)).toEqual([
      '扫描件.pdf（扫描版）与 请示.docx（电子版）不一致：成文日期：扫描版2020-05-15，电子版2020-05-12',
    ]);
  });

  async function appId(): Promise<number> {
    const rows = await t.db.query<{ id: string }>('select id from applications');
    return Number(rows[0]!.id);
  }
});
