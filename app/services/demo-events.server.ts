// `npm run demo`: two town meetings (issue 18), made through the same invitations, answers, check-ins and
// feedback staff and invitees use. A past one (three weeks ago, done): ambassadors, loyal customers,
// employees, franchisees, suppliers and partners; most came, some declined, a few did not show; two
// walk-ins; attendance points credited; the feedback survey sent, with answers. An upcoming one (in two
// and a half weeks): more answered "attend" than there are seats, so a waitlist in answer order, and
// its invitations in the mailbox for anyone trying the demo to answer.
import crypto from "node:crypto";
import { mulberry32 } from "../../db/seed/demo";
import { getDb } from "../../db/client.server";
import type { Question } from "~/domain/survey/types";
import { scoreResponse } from "~/domain/survey/scoring";
import { insertLinks, listInvitees } from "~/models/events.server";
import {
  backdateEvent,
  backdateFeedback,
  countEvents,
  demoEventGuests,
  demoLoyalCustomers,
  firstStaffId,
  insertDemoResponses,
  type DemoResponse,
} from "~/models/demo-data.server";
import { createSurvey, setSurveyStatus } from "~/models/surveys.server";
import { hashToken, newToken } from "~/utils/crypto.server";
import { publicUrl } from "~/utils/unsubscribe.server";
import {
  addWalkIn,
  answerRsvp,
  changeEventStatus,
  checkIn,
  createEvent,
  inviteCustomers,
  inviteStakeholders,
  publishEvent,
  sendFeedback,
  type EventFormInput,
} from "./events.server";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const stakeholders = [
  { name: "山田 健一", email: "k.yamada@staff.example.com", kind: "employee", organisation: "本社 商品企画部", role: "部長", locale: "ja" },
  { name: "佐々木 美穂", email: "m.sasaki@staff.example.com", kind: "employee", organisation: "渋谷店", role: "店長", locale: "ja" },
  { name: "Tom Baker", email: "t.baker@staff.example.com", kind: "employee", organisation: "Marketing", role: "Brand manager", locale: "en" },
  { name: "高橋 亮", email: "r.takahashi@franchise.example.com", kind: "franchisee", organisation: "高橋フーズ(吉祥寺店・三鷹店)", role: "オーナー", locale: "ja" },
  { name: "井上 由紀", email: "y.inoue@franchise.example.com", kind: "franchisee", organisation: "井上商事(川崎店)", role: "オーナー", locale: "ja" },
  { name: "中村 誠", email: "m.nakamura@farm.example.com", kind: "supplier", organisation: "中村農園", role: "代表", locale: "ja" },
  { name: "小林 さおり", email: "s.kobayashi@bakery.example.com", kind: "supplier", organisation: "小林製パン", role: "営業", locale: "ja" },
  { name: "Priya Raman", email: "p.raman@design.example.com", kind: "partner", organisation: "Studio Kite", role: "Designer", locale: "en" },
  { name: "松本 大輔", email: "d.matsumoto@ngo.example.com", kind: "partner", organisation: "地域食育ネットワーク", role: "理事", locale: "ja" },
  { name: "伊藤 早紀", email: "s.ito@staff.example.com", kind: "employee", organisation: "カスタマーサポート", role: "リーダー", locale: "ja" },
];

const notes = ["車いすで伺います", "ベジタリアンです", "Vegetarian, please", "小麦アレルギーがあります", "聴覚に障がいがあり、筆談をお願いします"];

function meeting(startsAt: Date, capacity: number, part: { ja: string; en: string }): EventFormInput {
  return {
    title: { ja: `タウンミーティング ${part.ja}`, en: `Town meeting: ${part.en}` },
    description: {
      ja: "お客さま、アンバサダー、従業員、加盟店、取引先が一つのテーブルを囲み、これからの商品とお店づくりを話し合います。試作品の試食と、グループに分かれての意見交換があります。",
      en: "Customers, ambassadors, staff, franchisees and suppliers around one table, talking about our next products and stores. With a tasting of prototypes and group discussions.",
    },
    agenda: {
      ja: "18:30 受付・試食\n18:45 開会と商品開発チームからの報告\n19:15 グループ討議\n20:00 発表と全体討議\n20:30 閉会",
      en: "18:30 Doors open, tasting\n18:45 Welcome and news from the product team\n19:15 Group discussions\n20:00 What each group found\n20:30 Close",
    },
    startsAt,
    endsAt: new Date(startsAt.getTime() + 2 * HOUR),
    timeZone: "Asia/Tokyo",
    venue: "東京都渋谷区神南1-2-3 ブランドラボ 3F",
    onlineUrl: null,
    capacity,
    rsvpDeadline: null,
    companionsAllowed: 1,
  };
}

/** The next day `days` ahead at 18:30 in Tokyo (09:30 UTC). */
function tokyoEvening(days: number) {
  const d = new Date(Date.now() + days * DAY);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 9, 30));
}

/** Known links for every invitee, so the demo answers through the same RSVP invitees use. */
async function linksFor(eventId: number) {
  const invitees = (await listInvitees(eventId, { limit: 1000 })).map((r) => r.invitee);
  const tokens = new Map(invitees.map((i) => [i.id, newToken()]));
  await insertLinks(invitees.map((i) => ({ tokenHash: hashToken(tokens.get(i.id)!), inviteeId: i.id })), getDb());
  return invitees.map((i) => ({ invitee: i, token: tokens.get(i.id)! }));
}

export async function seedDemoEvents() {
  if ((await countEvents()) > 0) return null;
  const rng = mulberry32(23);

  // ---- The past meeting ----------------------------------------------------------------------------
  const past = await createEvent(meeting(new Date(Date.now() + 2 * HOUR), 40, { ja: "秋の新メニューを一緒に", en: "our autumn menu, together" }), null);
  // Ambassadors and loyal customers who are not (yet) ambassadors.
  const guests = [...(await demoEventGuests(18, 0)), ...(await demoLoyalCustomers(8))];
  await inviteCustomers(past.id, { kind: "list", externalIds: guests }, null);
  const admin = await firstStaffId();
  await inviteStakeholders(past.id, stakeholders, "stakeholder", null);
  const pastLinks = await linksFor(past.id);
  await changeEventStatus(past.id, "publish");
  let attending = 0;
  for (const [i, { token }] of pastLinks.entries()) {
    if (i % 9 === 4) await answerRsvp(token, { attend: false, seats: 1, notes: null });
    else if (i % 11 !== 7) {
      await answerRsvp(token, { attend: true, seats: rng() < 0.15 ? 2 : 1, notes: rng() < 0.12 ? notes[Math.floor(rng() * notes.length)]! : null });
      attending++;
    }
  }
  const confirmed = (await listInvitees(past.id, { status: "confirmed", limit: 1000 })).map((r) => r.invitee);
  for (const [i, invitee] of confirmed.entries()) {
    if (i % 7 === 3) continue; // no-shows
    await checkIn(past.id, { inviteeId: invitee.id }, { id: admin, door: i % 2 ? "B" : "A" });
  }
  await addWalkIn(past.id, { name: "森 直子", email: "n.mori@example.net", kind: "customer", organisation: null, notes: "店頭のポスターを見て来ました" }, { id: admin, door: "A" });
  await addWalkIn(past.id, { name: "Liam Chen", email: null, kind: "partner", organisation: "Kite Coffee Roasters", notes: null }, { id: admin, door: "B" });
  // Held three weeks ago at 18:30 Tokyo time.
  const heldAt = tokyoEvening(-21);
  await backdateEvent(past.id, past.startsAt.getTime() - heldAt.getTime());
  await changeEventStatus(past.id, "finish");

  const questions: Question[] = [
    { key: "nps", type: "nps", label: { ja: "今回のタウンミーティングを、知人に勧めたいと思いますか。", en: "How likely are you to recommend this town meeting to a friend?" }, required: true, construct: "recommend" },
    { key: "comment", type: "long_text", label: { ja: "よかった点、次回に向けたご意見をお聞かせください。", en: "What went well, and what should we do next time?" }, required: false },
  ];
  const surveyId = await createSurvey(
    {
      title: { ja: "タウンミーティングのご感想", en: "Your thoughts on the town meeting" },
      intro: { ja: "ご参加ありがとうございました。1分で終わるアンケートです。", en: "Thank you for coming. This takes a minute." },
      thanks: { ja: "ご回答ありがとうございました。", en: "Thank you for your answers." },
      layout: "all_on_one",
      linkDays: 30,
      reminderDays: null,
    },
    questions,
    null,
  );
  await setSurveyStatus(surveyId, "open");
  const feedback = await sendFeedback(past.id, surveyId);
  // Sent the next morning at 10:00 in Tokyo; answered over the following days.
  const sentAt = new Date(heldAt.getTime() + 15.5 * HOUR);
  await backdateFeedback(past.id, surveyId, sentAt);
  const came = (await listInvitees(past.id, { status: "checked_in", limit: 1000 })).map((r) => r.invitee);
  const comments = ["試作品を直接作り手に伝えられてよかった", "加盟店の方の話が新鮮でした", "Great to meet the farmers", "次回は子ども連れでも参加したい", "", ""];
  const rows: DemoResponse[] = came
    .filter(() => rng() < 0.7)
    .map((p, i) => {
      const answers = { nps: Math.min(10, 6 + Math.floor(rng() * 5)), comment: comments[i % comments.length]! };
      const s = scoreResponse(questions, answers);
      return {
        customer_id: p.customerId,
        locale: p.locale === "en" ? "en" : "ja",
        answers,
        at: new Date(sentAt.getTime() + (i % 5) * DAY + (20 + ((i * 53) % 600)) * 60_000).toISOString(),
        psych: s.psychScore,
        nps: s.npsScore,
        category: s.npsCategory,
        constructs: s.constructScores,
        items: s.alphaScores,
        channel: p.customerId ? "link" : "open",
        submission: p.customerId ? null : crypto.randomUUID(),
      };
    });
  await insertDemoResponses(surveyId, [], rows);

  // ---- The upcoming meeting, with a waitlist -----------------------------------------------------
  const next = await createEvent(meeting(tokyoEvening(18), 20, { ja: "冬の限定商品を考える", en: "shaping our winter specials" }), null);
  await inviteCustomers(next.id, { kind: "list", externalIds: await demoEventGuests(28, 26) }, null);
  await inviteStakeholders(next.id, stakeholders.slice(0, 7), "stakeholder", null);
  const nextLinks = await linksFor(next.id);
  const { emailed } = await publishEvent(next.id);
  const links: { confirmed?: string; waitlisted?: string } = {};
  for (const [i, { token }] of nextLinks.entries()) {
    if (i % 8 === 5) await answerRsvp(token, { attend: false, seats: 1, notes: null });
    else if (i < 30) {
      const { invitee } = await answerRsvp(token, { attend: true, seats: 1, notes: i % 10 === 2 ? notes[Math.floor(i / 10)]! : null });
      if (invitee.rsvpStatus === "confirmed") links.confirmed ??= publicUrl(`e/${token}`);
      if (invitee.rsvpStatus === "waitlisted") links.waitlisted ??= publicUrl(`e/${token}`);
    }
  }
  const waiting = await listInvitees(next.id, { status: "waitlisted", limit: 1000 });
  return {
    past: { id: past.id, invited: pastLinks.length + 2, attending, checkedIn: came.length, feedback: feedback.emailed, responses: rows.length },
    upcoming: { id: next.id, invited: nextLinks.length, emailed, waitlisted: waiting.length },
    links,
  };
}
