/**
 * 吉发改高技〔2020〕308号 as a campaign profile. Kept as plain data (not typed
 * against the schema here) so it reads like the JSON file a user would write;
 * loadCampaignProfile() validates it like any other.
 */
export const JILIN_2020_PROFILE = {
  id: 'jilin-2020-sei-clusters',
  title: '2020年省级战略性新兴产业集群发展工程申报',
  notice: '吉发改高技〔2020〕308号',
  timezone: 'Asia/Shanghai',
  deadline: '2020-05-15T23:59:59+08:00',
  province: { code: '22', name: '吉林省' },
  requiredItems: ['formal-document', 'materials', 'project-table'],
  requiredCopies: ['scan', 'electronic'],
  thresholds: {
    minLargeEnterprises: 5,
    minTotalOutputYi: 50,
    minLargeProjects: 10,
    largeProjectInvestmentWan: 3000,
  },
  dataYear: 2019,
  fields: [
    {
      name: '生物医药',
      catalogue: '生物产业',
      focus: true,
      keywords: ['生物医药', '医药', '生物药', '中药', '现代中药', '疫苗', '医疗器械', '生物制品', '制药', '健康'],
    },
    {
      name: '光电子',
      catalogue: '新一代信息技术产业',
      focus: true,
      keywords: ['光电子', '光电', '激光', '光学', 'LED', '光电信息'],
    },
    {
      name: '新材料',
      catalogue: '新材料产业',
      focus: true,
      keywords: ['新材料', '碳纤维', '化工新材料', '先进材料', '石墨', '硅藻土', '复合材料', '高分子材料'],
    },
    {
      name: '轨道交通装备',
      catalogue: '高端装备制造产业',
      focus: true,
      keywords: ['轨道交通', '轨道客车', '动车组', '城轨'],
    },
    {
      name: '卫星及应用',
      catalogue: '高端装备制造产业',
      focus: true,
      keywords: ['卫星', '航天', '遥感', '北斗', '空间信息'],
    },
    {
      name: '新一代信息技术',
      catalogue: '新一代信息技术产业',
      focus: false,
      keywords: [
        '新一代信息技术',
        '信息技术',
        '电子信息',
        '大数据',
        '人工智能',
        '软件',
        '集成电路',
        '云计算',
        '物联网',
      ],
    },
    {
      name: '高端装备制造',
      catalogue: '高端装备制造产业',
      focus: false,
      keywords: ['高端装备', '装备制造', '智能制造', '通用航空', '机器人', '精密仪器'],
    },
    {
      name: '新能源汽车',
      catalogue: '新能源汽车产业',
      focus: false,
      keywords: ['新能源汽车', '汽车零部件', '汽车电子', '智能网联', '动力电池'],
    },
    {
      name: '新能源',
      catalogue: '新能源产业',
      focus: false,
      keywords: ['新能源', '风电', '光伏', '太阳能', '氢能', '生物质能'],
    },
    {
      name: '节能环保',
      catalogue: '节能环保产业',
      focus: false,
      keywords: ['节能环保', '环保', '节能', '资源综合利用', '循环经济'],
    },
    {
      name: '数字创意',
      catalogue: '数字创意产业',
      focus: false,
      keywords: ['数字创意', '动漫', '文化创意', '影视', '数字内容'],
    },
    {
      name: '生物',
      catalogue: '生物产业',
      focus: false,
      keywords: ['生物农业', '生物制造', '生物基', '玉米深加工', '生物发酵', '生物'],
    },
  ],
  applicants: {
    levels: ['prefecture', 'county'],
    extra: [
      {
        code: '229901',
        name: '长白山保护开发区',
        level: 'prefecture',
        parentCode: null,
        shortNames: ['长白山管委会', '长白山保护开发区管理委员会', '长白山'],
        nonStandardCode: true,
      },
    ],
    excludeNamePatterns: ['区$', '开发区$', '食品区$'],
  },
  senders: [],
  labels: {},
  ack: {
    contact: '省发展改革委高技术处 王洪 刘航，电话 0431-88906750（传真 0431-88905147）',
    submitTo: 'wangh@jldrc.jl.gov.cn',
  },
} as const;
