// Guards issue 12.1's policy: which sender addresses speak for an applicant (profile senders,
// staff decisions, the first on-time mail's proposal), and that a stranger writing second is
// never proposed.
import { describe, expect, it } from 'vitest';
import {
  countsAsConfirmed,
  profileEntries,
  senderStatusOf,
  shouldProposeSender,
  type BookEntry,
  type SenderStatus,
} from './sender-trust.js';

const profile = {
  deadline: '2020-05-15T23:59:59+08:00',
  senders: [
    { address: 'GaoJiChu@fgw.changchun.gov.cn', applicantCode: '220100' },
    { address: '@fgw.jilin.gov.cn', applicantCode: '220200' },
  ],
};

describe('senderStatusOf', () => {
  const cases: Array<[string, string | null, BookEntry[], SenderStatus]> = [
    ['a profile address, any case', 'gaojichu@fgw.changchun.gov.cn', profileEntries(profile, '220100'), 'confirmed'],
    ['a profile @domain', 'li@fgw.jilin.gov.cn', profileEntries(profile, '220200'), 'confirmed'],
    [
      'a look-alike of the domain',
      'li@fgw.jilin.gov.cn.evil.example',
      profileEntries(profile, '220200'),
      'unconfirmed',
    ],
    [
      'another applicant’s profile address',
      'gaojichu@fgw.changchun.gov.cn',
      profileEntries(profile, '220200'),
      'unconfirmed',
    ],
    ['a first-mail proposal', 'a@b.cn', [{ address: 'a@b.cn', state: 'proposed', source: 'first-mail' }], 'proposed'],
    [
      'staff rejected a profile address',
      'gaojichu@fgw.changchun.gov.cn',
      [
        ...profileEntries(profile, '220100'),
        { address: 'gaojichu@fgw.changchun.gov.cn', state: 'rejected', source: 'staff' },
      ],
      'rejected',
    ],
    [
      'staff confirmed one address of a profile domain, another is still the domain’s',
      'wang@fgw.jilin.gov.cn',
      [...profileEntries(profile, '220200'), { address: 'li@qq.com', state: 'confirmed', source: 'staff' }],
      'confirmed',
    ],
    ['no address at all', null, profileEntries(profile, '220100'), 'unconfirmed'],
    ['a stranger', 'someone@freemail.example', profileEntries(profile, '220100'), 'unconfirmed'],
  ];
  it.each(cases)('%s', (_what, address, entries, want) => {
    expect(senderStatusOf(address, entries)).toBe(want);
  });
  it('proposed counts as confirmed, rejected and unconfirmed do not', () => {
    expect(
      ['confirmed', 'proposed', 'unconfirmed', 'rejected'].map((s) => countsAsConfirmed(s as SenderStatus)),
    ).toEqual([true, true, false, false]);
  });
});

describe('shouldProposeSender', () => {
  const onTime = new Date('2020-05-12T02:00:00Z');
  it('proposes the first on-time mail of an applicant with an empty book', () => {
    expect(shouldProposeSender('a@b.cn', onTime, [], profile)).toBe(true);
  });
  it('never once the book has an entry (profile address or earlier proposal), nor for late mail or no address', () => {
    expect(shouldProposeSender('x@b.cn', onTime, profileEntries(profile, '220100'), profile)).toBe(false);
    expect(
      shouldProposeSender('x@b.cn', onTime, [{ address: 'a@b.cn', state: 'rejected', source: 'staff' }], profile),
    ).toBe(false);
    expect(shouldProposeSender('a@b.cn', new Date('2020-05-16T01:00:00Z'), [], profile)).toBe(false);
    expect(shouldProposeSender(null, onTime, [], profile)).toBe(false);
  });
});
