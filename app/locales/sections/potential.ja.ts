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
  reasons: {
    malformed: "購入データをモデルが必要とする形で読み取れませんでした。",
    no_customers: "モデルを当てはめる購入のある顧客がいません。",
    no_repeat: "2日目の購入をした顧客がまだいないため、リピート購入を推定できません。",
    too_few_spend: "リピート購入日に支出のある顧客が少なすぎます: {{customers}} 人（{{needed}} 人以上必要）。",
    max_iterations: "{{iterations}} 回の反復でも推定値が定まりませんでした。",
    no_fit: "これらの購入をうまく説明するパラメータが見つかりません（どれかが 0 または無限大に発散しました）。",
    not_finite: "推定の結果が数値になりませんでした。",
    infinite_mean_spend: "支出モデルの q が {{q}} となり 1 を超えません: 平均支出が無限大になります（極端に高額な購入が少数ある可能性）。",
  },
  tieBreaker: "同点のときの順序",
  tieBreakers: { none: "顧客番号順", expected_value: "90日見込み金額の高い順" },

};
