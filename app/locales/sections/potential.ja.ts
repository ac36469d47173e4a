// 顧客ポテンシャル（issue 19）の日本語: 顧客一覧、顧客ページ、CPM マトリクス、候補者の設定。キーは potential.en.ts と同じ。
export const potentialJa = {
  alive: "継続見込み",
  expectedPurchases: "今後90日の購入日数",
  expectedValue: "今後90日の見込み金額",
  minAlive: "継続見込み（%）下限",
  maxAlive: "上限（%）",
  minValue: "見込み金額の下限",
  card: "顧客ポテンシャル",
  asOf: "BG/NBD・ガンマガンマモデル（{{date}} 時点）",
  sentence:
    "{{name}} さんはこれまで {{days}} 日に分けて購入しています（初回は {{T}} 日前、最後は {{lapse}} 日前）。モデルによると、今も顧客である確率は {{alive}}、今後90日の購入は {{purchases}} 日、金額にして約 {{value}} の見込みです。",
  sentenceNoValue:
    "{{name}} さんはこれまで {{days}} 日に分けて購入しています（初回は {{T}} 日前、最後は {{lapse}} 日前）。モデルによると、今も顧客である確率は {{alive}}、今後90日の購入は {{purchases}} 日の見込みです。",
  bands: {
    likely: "今も顧客である可能性が高い: いつもどおりの接点を続けましょう。",
    uncertain: "離れかけているかもしれません: 再来店のきっかけが効きます。",
    unlikely: "離反している可能性が高い: 過去の実績から見て価値がある場合に連絡しましょう。",
  },
  noFit: "モデルはまだありません: 次の行動データ更新のあとに表示されます。",
  noPurchase: "購入がまだありません: モデルには1日以上の購入が必要です。",
  explain: "計算のしかた",
  matrixValue: "90日見込み金額 {{value}}",
  followUpTitle: "先に連絡したい離反優良顧客",
  followUpBody: "今も顧客である確率の高い順: 連絡する価値がまだある顧客が上に来ます。",
  tieBreaker: "同点のときの順序",
  tieBreakers: { none: "顧客番号順", expected_value: "90日見込み金額の高い順" },

};
