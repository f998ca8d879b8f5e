import { makeFlag, type TCampaignProfile, type TEvidence, type TFlag, type TMetrics } from '@intake/domain';

/**
 * The notice's thresholds (二(二)) and focus areas (一). A figure we could not
 * read is unknown, not low: no flag is raised on null.
 */
export function thresholdFlags(
  metrics: TMetrics,
  profile: TCampaignProfile,
  field: string | null,
  /** the output figure stated for metrics.dataYear when that is not the notice's year */
  otherYearFigure?: TEvidence,
): TFlag[] {
  const t = profile.thresholds;
  const labels = profile.labels;
  const flags: TFlag[] = [];
  if (metrics.largeEnterprises !== null && metrics.largeEnterprises < t.minLargeEnterprises) {
    flags.push(
      makeFlag(
        'FEW_LARGE_ENTERPRISES',
        `产值亿元以上企业 ${metrics.largeEnterprises} 户，要求不少于 ${t.minLargeEnterprises} 户`,
        labels,
      ),
    );
  }
  if (metrics.totalOutput2019 !== null && metrics.totalOutput2019 < t.minTotalOutputYi) {
    flags.push(
      makeFlag(
        'LOW_TOTAL_OUTPUT',
        `${profile.dataYear}年集群总产值 ${metrics.totalOutput2019} 亿元，要求不低于 ${t.minTotalOutputYi} 亿元`,
        labels,
      ),
    );
  }
  if (metrics.largeProjects !== null && metrics.largeProjects < t.minLargeProjects) {
    flags.push(
      makeFlag(
        'FEW_LARGE_PROJECTS',
        `项目汇总表中总投资 ${t.largeProjectInvestmentWan} 万元以上项目 ${metrics.largeProjects} 个，要求不少于 ${t.minLargeProjects} 个`,
        labels,
      ),
    );
  }
  if (metrics.dataYear !== null && metrics.dataYear !== undefined && metrics.dataYear !== profile.dataYear) {
    flags.push(
      makeFlag(
        'WRONG_DATA_YEAR',
        `产值数据为 ${metrics.dataYear} 年，通知要求以 ${profile.dataYear} 年统计数据为准` +
          (otherYearFigure && typeof otherYearFigure.value === 'number'
            ? `（材料所列 ${metrics.dataYear} 年总产值 ${otherYearFigure.value} 亿元，未计为 ${profile.dataYear} 年总产值：“${otherYearFigure.text.slice(0, 80)}”）`
            : ''),
        labels,
      ),
    );
  }
  if (field !== null) {
    const f = profile.fields.find((x) => x.name === field);
    if (f && !f.focus) {
      const focus = profile.fields
        .filter((x) => x.focus)
        .map((x) => x.name)
        .join('、');
      flags.push(
        makeFlag(
          'NOT_FOCUS_AREA',
          `产业领域“${field}”（${f.catalogue}）不属于重点支持的${focus}；仍可按2016版目录申报`,
          labels,
        ),
      );
    }
  }
  return flags;
}
