// 顧客ポテンシャルのページ(/staff/behaviour/potential)の日本語: 現在のモデルとパラメータの意味、
// ホールドアウトによる検証。キーは potential-page.en.ts と同じ。
import type { potentialPageEn } from "./potential-page.en";

export const potentialPageJa: typeof potentialPageEn = {
  title: "顧客ポテンシャル",
  subtitle: "各顧客の継続見込みと見込み金額を出しているモデルについて、パラメータの意味と、直近の期間をどれだけ正しく予測できたかを確認します。",
  emptyTitle: "モデルはまだありません",
  emptyBody: "次の行動データ更新のあとに数値が表示されます。",
  refresh: "今すぐ再計算",
  current: "現在のモデル",
  bgnbd: {
    name: "BG/NBD",
    title: "購入日数と継続（BG/NBD）",
    intro: "各顧客の購入の頻度と直近の購入から、今後何日購入するかと、今も顧客である確率を予測します。",
  },
  gammaGamma: {
    name: "ガンマガンマ",
    title: "購入日あたりの金額（ガンマガンマ）",
    intro: "各顧客のリピート購入日の金額から、1 日の購入で使う金額を予測します。",
    none: "金額のモデルはまだありません。推定されると見込み金額が表示されます。",
  },
  facts: {
    fittedAt: "推定日時",
    asOf: "データの基準日",
    customers: "顧客数",
    logLikelihood: "対数尤度",
    iterations: "反復回数",
    seconds: "所要時間",
  },
  secondsValue: "{{seconds}} 秒",
  parameters: "パラメータ",
  parameter: "パラメータ",
  value: "値",
  meaning: "意味",
  meanings: {
    rAlpha:
      "継続している間の購入頻度は 1 日あたり平均 r/α ≈ {{rate}} 回、つまり平均 α/r ≈ {{every}} 日に 1 日の割合で購入します（年に約 {{perYear}} 日）。",
    r: "購入頻度の顧客によるばらつき。r が小さいほど、よく買う顧客とたまにしか買わない顧客の差が大きくなります。",
    ab: "購入日のたびに顧客が離脱する確率は、平均 a/(a+b) ≈ {{dropout}} です。",
    pqGamma: "顧客全体で見た、購入日あたりの平均金額は pγ/(q−1) ≈ {{mean}} です。",
    pqGammaUndefined: "q が 1 以下のため、顧客全体の平均金額は定まりません（ごく一部の顧客が極端に多く使っています）。",
    q: "顧客ごとの平均金額のばらつき。q が小さいほど顧客による差が大きく、大きいほど全員が平均に近くなります。",
  },
  notConverged: "{{model}} の最新の再推定（{{date}}）は収束しませんでした。前回のパラメータをそのまま使っています。",
  notConvergedNone:
    "{{model}} の最新の再推定（{{date}}）は収束しませんでした。引き継げる前回のパラメータもないため、このモデルの数値はまだありません。",
  validation: {
    title: "ホールドアウトによる検証",
    intro:
      "指標の基準日（{{asOf}}）の直前の期間を検証用に取り置き、その期間が始まる時点までのデータで両モデルを推定します。取り置いた期間の各顧客の購入日数を予測し、実際の購入と比べます。",
    holdoutDays: "ホールドアウト期間（日）",
    holdoutHint: "7〜365 の整数で入力します。",
    run: "検証を実行",
    viewerReadOnly: "閲覧者は検証結果を見られますが、実行はできません。",
    noMetrics: "行動指標がまだ計算されていないため、検証できません。",
    steps: {
      queued: "開始を待っています…",
      summarising: "購買データを集計しています…",
      fitting: "推定期間のデータでモデルを推定しています…",
      predicting: "ホールドアウト期間を予測し、実績と比べています…",
    },
    stepOf: "ステップ {{n}}/{{total}}：{{step}}",
    progress: "検証の進み具合",
    failed: "検証がエラーで止まりました：{{error}}",
    none: "まだ検証していません。実行すると、モデルが顧客の購入をどれだけ正しく予測できるかを確認できます。",
    period:
      "{{calibrationEnd}} までの購買でモデルを推定し、{{asOf}} までの {{days}} 日間の実績と比べました（その時点までに購入のあった顧客 {{customers}} 人）。実行：{{finishedAt}}",
    fitFailed: "推定期間のデータでのモデル推定が収束しなかったため、比較できません。",
    errorTooMany:
      "ホールドアウトの {{days}} 日間で、モデルの予測は {{predicted}} 購入日、実際は {{actual}} 購入日でした。予測は {{error}} 多めです（{{verdict}}）。",
    errorTooFew:
      "ホールドアウトの {{days}} 日間で、モデルの予測は {{predicted}} 購入日、実際は {{actual}} 購入日でした。予測は {{error}} 少なめです（{{verdict}}）。",
    errorExact: "ホールドアウトの {{days}} 日間で、モデルの予測は {{predicted}} 購入日、実際も {{actual}} 購入日で、ぴったりでした（{{verdict}}）。",
    errorNoActual: "ホールドアウトの {{days}} 日間で、モデルの予測は {{predicted}} 購入日でしたが、実際の購入はなかったため比較できません。",
    verdicts: { good: "良好", fair: "まずまず", poor: "要改善", unknown: "比較なし" },
    verdictHint: "誤差 10% 以内は良好、25% 以内はまずまず、それを超えると要改善です。",
    bucketError: "リピート購入日数のグループ別に見ると、1 人あたりの予測は平均して実績平均の {{error}} ずれています。",
    newCustomer: "新規顧客なら、{{days}} 日間に平均 {{expected}} 日購入すると見込まれます。",
    holdoutParameters: "推定期間のデータで推定したパラメータ",
  },
  chart: {
    title: "推定期間とホールドアウト期間の比較",
    label: "ホールドアウト期間の 1 人あたり購入日数（予測と実績）を、推定期間のリピート購入日数別に示したグラフ",
    xAxis: "ホールドアウト前のリピート購入日数",
    yAxis: "ホールドアウト期間の 1 人あたり購入日数",
    predicted: "予測",
    actual: "実績",
  },
  errors: { holdoutDays: "ホールドアウト期間（日）：7〜365 の整数で入力してください。" },
  table: {
    bucket: "推定期間のリピート購入日数",
    customers: "顧客数",
    predictedTotal: "予測購入日数",
    actualTotal: "実績購入日数",
    predictedPer: "1 人あたり予測",
    actualPer: "1 人あたり実績",
    total: "全顧客",
    last: "{{x}} 日以上",
  },
};
