/**
 * Traditional → simplified Chinese for keyword matching only. Offices on
 * traditional-Chinese clients (or Big5 mail gateways) write 關於申報…的請示;
 * the role, copy, applicant and cluster keywords are simplified. The table
 * covers the characters of those keywords, of the province's place names and
 * industry fields, and of the vocabulary around them — not the whole script
 * (a full converter is megabytes of dictionaries for a handful of words).
 *
 * Left out on purpose: characters that are also ordinary simplified
 * characters with another meaning — 乾 (乾安县), 著 (显著), 覆 (覆盖),
 * 藉, 瞭, 夥, 沈, 甚 — mapping them would corrupt simplified text.
 */

/** Pairs "traditional simplified"; a line groups one area of vocabulary. */
const PAIRS = [
  // places of the province and their parts
  '長长 遼辽 邊边 鮮鲜 農农 縣县 樹树 嶺岭 樺桦 蘭兰 滿满 雙双 東东 豐丰 輝辉 撫抚 臨临 爾尔 羅罗 餘余 鎮镇 賚赉 圖图 們们 琿珲 龍龙 護护 開开 區区 園园 陽阳 關关 寬宽 綠绿 營营 鐵铁 渾浑 亞亚 臺台 灣湾 鄉乡 莊庄 濱滨 廣广 陝陕 滬沪 蘇苏 閩闽 贛赣 魯鲁 粵粤 瓊琼 隴陇 寧宁 黃黄',
  // offices and document vocabulary
  '於于 與与 為为 爲为 書书 請请 報报 發发 髮发 展展 員员 會会 華华 國国 務务 廳厅 處处 團团 衛卫 實实 審审 層层 帶带 庫库 當当 總总 戰战 掃扫 擔担 斷断 無无 標标 檔档 檢检 匯汇 彙汇 沒没 點点 蓋盖 礎础 稱称 簽签 紅红 級级 純纯 織织 編编 薦荐 規规 訂订 認认 設设 識识 該该 輯辑 進进 頁页 項项 額额 啟启 啓启 復复 複复 製制 劃划 創创 別别 動动 勢势 協协 單单 號号 頭头 夾夹 強强 況况 準准 興兴 優优 優优 擬拟 議议 論论 說说 讀读 寫写 覽览 冊册 續续 紀纪 錄录 歸归 齊齐 選选 遞递 經经 濟济 業业 產产 現现 術术 屬属 統统 計计 際际 類类 題题 問问 見见 這这 來来 對对 將将 從从 後后 給给 還还 讓让 時时 麼么 個个 條条 線线 綫线 眾众 衆众 羣群 戶户 數数 據据 質质 監监 督督 驗验 測测 試试 樣样 態态 預预 決决 響响 應应 價价 勞劳 勵励 辦办 購购 聯联 網网 絡络 紙纸 藍蓝 圓圆 圍围 舉举 義义 樂乐 習习 親亲 僅仅 價价 傳传 體体 內内 軍军 衝冲 減减 幾几 則则 剛刚 劑剂 劇剧 參参 變变 疊叠 葉叶 聽听 吳吴 喚唤 噴喷 囑嘱 聖圣 壞坏 塊块 堅坚 壇坛 墾垦 墊垫 壽寿 覈核 週周 裡里 裏里 範范 臺台 於于 徵征 鍾钟 鐘钟 鬥斗 佈布 這这 誌志 註注 麵面 傢家 傑杰 擴扩 積积 築筑 據据 擁拥 攜携 據据 儲储 倉仓 貿贸 運运 輸输 郵邮 銷销 售售 貨货 財财 貸贷 費费 資资 賓宾 賽赛 贊赞 輕轻 較较 載载 輪轮 轉转 辭辞 遠远 適适 遺遗 鄰邻 針针 鏡镜 門门 間间 閱阅 陣阵 陰阴 隊队 隨随 險险 隱隐 雖虽 雜杂 離离 難难 靈灵 靜静 頂顶 順顺 須须 領领 頻频 顆颗 顏颜 願愿 顧顾 飛飞 館馆 馬马 鹽盐 麥麦 黨党 專专 絲丝 兩两 嚴严 亂乱 爭争 虧亏 畝亩 億亿 萬万 稅税 達达 過过 歲岁 屆届 證证 錢钱 銀银 廠厂 礦矿 場场 構构 築筑 環环 節节 綜综 創创 調调 競竞 劉刘 韓韩 陳陈 張张 楊杨 趙赵 孫孙 馮冯 鄭郑 謝谢 許许 鄧邓 蕭萧 盧卢 蔣蒋 魏魏 錢钱',
  // industries, figures and tables
  '醫医 藥药 療疗 電电 術术 學学 纖纤 維维 軌轨 裝装 備备 車车 組组 遙遥 間间 數数 軟软 雲云 機机 儀仪 風风 氫氢 循循 視视 矽硅 鋼钢 鋁铝 銅铜 鏈链 氣气 熱热 燈灯 煉炼 爐炉 漢汉 潔洁 淨净 測测 灑洒 溫温 濕湿 澤泽 參参 種种 農农 藝艺 術术 畫画 動动 漫漫 導导 彈弹 藥药 療疗 檢检 飲饮 食食 糧粮 麥麦 殼壳 壓压 廢废 棄弃 處处 節节 約约 環环 綠绿 碳碳 應应 衛卫 航航 空空 訊讯 頻频 號号 網网 絡络 腦脑 體体 積积 極极 產产 億亿 萬万 營营 額额 稅税 繳缴 計计 劃划 預预 實实 際际 總总 項项 單单 屬属 稱称 設设 規规 範范 圍围 執执 續续 籌筹 資资 貸贷 償偿 債债',
] as const;

const TABLE: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const line of PAIRS) {
    for (const pair of line.split(/\s+/)) {
      const [trad, simp] = [...pair];
      if (trad && simp && trad !== simp) m.set(trad, simp);
    }
  }
  return m;
})();

/** Words whose simplified form is not a character-by-character mapping. */
const WORDS: Array<[RegExp, string]> = [
  [/批覆/g, '批复'],
  [/答覆/g, '答复'],
  [/回覆/g, '回复'],
];

/** Maps the traditional characters of the table to simplified; everything else is left as it is. */
export function toSimplified(s: string): string {
  let out = '';
  for (const ch of s) out += TABLE.get(ch) ?? ch;
  for (const [re, to] of WORDS) out = out.replace(re, to);
  return out;
}

/** Whether the text holds any character the table maps (cheap guard for logging/notes). */
export function hasTraditional(s: string): boolean {
  for (const ch of s) if (TABLE.has(ch)) return true;
  return false;
}
