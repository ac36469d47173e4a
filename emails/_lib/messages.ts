// Every word the emails show, per language. English is typed from Japanese, so a key missing in either
// language, or a sentence taking different values, fails the type check.
import type { EmailLocale } from "./types";

const ja = {
  common: {
    greeting: (name: string | null) => (name ? `${name}様` : "お客様"),
    personalLink: "このメールのリンクはお客様専用です。転送はお控えください。",
    buttonFallback: "ボタンが機能しない場合は、次のURLをブラウザに貼り付けてください。",
  },
  footer: {
    unsubscribe: "配信停止",
    marketing: (brand: string) => `このメールは、${brand}からのご案内の受け取りにご同意いただいた方にお送りしています。`,
    member: (programme: string) => `このメールは、${programme}にご参加いただいた方にお送りしています。`,
    signIn: "このメールは、このメールアドレスで会員ページへのログインがリクエストされたためお送りしています。",
    eventRegistration: (brand: string) => `このメールは、${brand}のイベントにお申し込みいただいた方にお送りしています。`,
    eventWaitlist: (brand: string) => `このメールは、${brand}のイベントのキャンセル待ちにご登録いただいた方にお送りしています。`,
  },
  details: {
    when: "日時",
    venue: "会場",
    capacity: "定員",
    people: (count: number) => `${count}名`,
    duration: "所要時間",
    minutes: (count: number) => `約${count}分`,
    answerBy: "回答期限",
    memberNumber: "会員番号",
    memberSince: "ご登録日",
    checkInCode: "受付コード",
    confirmBy: "ご確認期限",
  },
  surveyInvitation: {
    subject: (brand: string, survey: string) => `【${brand}】「${survey}」ご協力のお願い`,
    preview: (brand: string) => `${brand}より、アンケートご協力のお願いです。`,
    heading: "アンケートご協力のお願い",
    intro: (brand: string, survey: string) =>
      `いつも${brand}をご利用いただき、誠にありがとうございます。より良い商品・サービスづくりのため、アンケート「${survey}」へのご協力をお願いいたします。`,
    button: "アンケートに回答する",
    closing: "お寄せいただいたご意見は、今後の商品・サービスづくりに大切に活かしてまいります。",
  },
  surveyReminder: {
    subject: (brand: string, survey: string) => `【${brand}】「${survey}」へのご回答はお済みでしょうか`,
    preview: (brand: string) => `${brand}より、アンケートのご回答のお願いです。`,
    heading: "アンケートご回答のお願い",
    intro: (brand: string, survey: string) =>
      `先日${brand}よりご案内いたしましたアンケート「${survey}」について、改めてご連絡いたしました。まだご回答いただいていない場合は、ぜひご協力をお願いいたします。`,
    button: "アンケートに回答する",
    closing: "すでにご回答いただいている場合は、本メールと行き違いになりましたことをご容赦ください。ご協力に心より感謝いたします。",
  },
  ambassadorInvitation: {
    subject: (brand: string, programme: string) => `【${brand}】${programme}へのご招待`,
    preview: (programme: string) => `アンバサダープログラム「${programme}」にご招待いたします。`,
    heading: (programme: string) => `${programme}へのご招待`,
    intro: (brand: string, programme: string) =>
      `いつも${brand}をご愛顧いただき、誠にありがとうございます。日頃から${brand}を応援してくださっているお客様に、アンバサダープログラム「${programme}」へのご参加をお願いしたく、ご招待をお送りいたしました。`,
    benefitsHeading: "アンバサダーの皆様には、次のものをご用意しています。",
    benefits: [
      "アンバサダー認定証（印刷用PDFと、オンラインで確認できる認定ページ）",
      "ご友人にご紹介いただける、お客様専用の紹介リンクとコード",
      "お客様とスタッフが一緒に商品づくりを考えるタウンミーティングへのご招待",
      "ご紹介やイベントへのご参加など、活動に応じたポイント",
    ],
    terms: "ご参加は任意です。次のページでプログラムの規約をご確認のうえ、お手続きください。",
    expires: (date: string) => `ご招待の有効期限は${date}です。`,
    button: "招待内容を確認する",
    reminder: "先日お送りしたご招待の有効期限が近づいておりますので、あらためてご案内いたします。",
    reminderSubject: (subject: string) => `【再送】${subject}`,
  },
  welcomeCertificate: {
    subject: (brand: string, programme: string) => `【${brand}】${programme}へようこそ`,
    preview: "アンバサダー認定証を発行いたしました。",
    heading: (programme: string) => `${programme}へようこそ`,
    intro: (brand: string, programme: string) =>
      `このたびは${programme}にご参加いただき、誠にありがとうございます。${brand}のアンバサダーとしてお迎えできることを、心よりうれしく思います。`,
    certificate: "アンバサダー認定証を発行いたしました。下のボタンからご覧いただけます（印刷用のPDFもご用意しています）。",
    certificateButton: "認定証を見る",
    memberPage:
      "会員ページでは、紹介リンクとコード、イベントのご案内、活動履歴とポイントをご確認いただけます。ログインの際は、ご登録のメールアドレス宛にログインリンクをお送りします。",
    memberPageButton: "会員ページを開く",
  },
  magicLink: {
    subject: (brand: string) => `【${brand}】会員ページへのログインリンク`,
    preview: (minutes: number) => `このリンクは${minutes}分間有効です。`,
    heading: "会員ページへのログイン",
    intro: (brand: string) => `${brand}の会員ページへのログインのリクエストを受け付けました。下のボタンからログインしてください。`,
    expiry: (minutes: number) => `このリンクの有効期限は${minutes}分間です。`,
    button: "ログインする",
    ignore: "このメールにお心当たりがない場合は、破棄してください。このリンクを開かない限り、ログインされることはありません。",
  },
  eventInvitation: {
    subject: (brand: string, event: string) => `【${brand}】「${event}」へのご招待`,
    preview: (when: string) => `タウンミーティングのご案内（${when}）`,
    intro: (brand: string) =>
      `${brand}では、お客様と私たちスタッフが一緒にこれからの商品やサービスを考える「タウンミーティング」を開催しています。次回の会に、ぜひご参加いただきたくご案内いたします。`,
    waitlist: "定員に達した場合は、キャンセル待ちとしてご登録いたします。お席が空き次第、順番にご案内いたします。",
    button: "出欠を回答する",
  },
  eventConfirmation: {
    subject: (brand: string, event: string) => `【${brand}】「${event}」参加登録完了のお知らせ`,
    preview: (when: string) => `参加登録が完了しました（${when}）`,
    heading: "参加登録が完了しました",
    intro: (event: string) =>
      `「${event}」にお申し込みいただき、誠にありがとうございます。参加登録が完了しましたので、お知らせいたします。`,
    checkInWithCode: "当日は受付で、受付コードまたは登録内容のページに表示されるQRコードをご提示ください。",
    checkInByName: "当日は受付でお名前をお伝えください。",
    calendar: "カレンダーに登録できるファイル（event.ics）を添付しています。",
    manage: "ご都合が悪くなった場合は、下のボタンから変更・キャンセルのお手続きをお願いいたします。キャンセル待ちの方にお席をお譲りできます。",
    button: "登録内容の確認・変更",
    closing: "当日お会いできることを楽しみにしております。",
  },
  waitlistPromotion: {
    subject: (brand: string, event: string) => `【${brand}】「${event}」のお席をご用意できました`,
    preview: "キャンセル待ちのお席に空きが出ました。",
    heading: "お席をご用意できました",
    intro: (event: string) =>
      `キャンセル待ちにご登録いただいていた「${event}」に空きが出ましたので、お席をご用意いたしました。`,
    confirmBy: (date: string) =>
      `${date}までに、下のボタンから参加のご確認をお願いいたします。期限までにご確認いただけない場合は、次にお待ちの方へお席をお譲りいたします。`,
    confirmButton: "参加を確定する",
    registered: "参加登録は完了しています。ご都合が悪くなった場合は、下のボタンからキャンセルのお手続きをお願いいたします。",
    manageButton: "登録内容の確認・変更",
  },
  eventReminder: {
    subject: (brand: string, event: string) => `【${brand}】まもなく開催：「${event}」`,
    preview: (when: string) => `開催日時：${when}`,
    heading: "開催日が近づいてまいりました",
    intro: (event: string) => `お申し込みいただいている「${event}」の開催が近づいてまいりましたので、ご案内いたします。`,
    manage: "ご都合が悪くなった場合は、お手数ですが下のボタンからキャンセルのお手続きをお願いいたします。キャンセル待ちの方にお席をお譲りできます。",
    button: "登録内容の確認・変更",
    closing: "当日お会いできることを楽しみにしております。",
  },
  eventThanks: {
    subject: (brand: string, event: string) => `【${brand}】「${event}」ご参加のお礼`,
    preview: "先日はご参加いただき、誠にありがとうございました。",
    heading: "ご参加ありがとうございました",
    intro: (brand: string, event: string) =>
      `先日は「${event}」にご参加いただき、誠にありがとうございました。皆様からいただいたご意見は、これからの${brand}づくりに大切に活かしてまいります。`,
    feedback: "今後の会をより良いものにするため、よろしければ簡単なアンケートにご協力ください。",
    button: "アンケートに回答する",
    closing: "またお会いできることを楽しみにしております。",
  },
  eventCancelled: {
    subject: (brand: string, event: string) => `【${brand}】「${event}」開催中止のお知らせ`,
    preview: (event: string) => `「${event}」は開催を中止させていただくこととなりました。`,
    heading: "開催中止のお知らせ",
    intro: (event: string) =>
      `お申し込みいただいておりました「${event}」は、誠に勝手ながら開催を中止させていただくこととなりました。`,
    messageFromStaff: "担当者より、次のメッセージをお預かりしております。",
    apology: "楽しみにしてくださっていたところ、ご迷惑をおかけし大変申し訳ございません。お手続きは不要です。",
    closing: "またの機会にお会いできることを心より楽しみにしております。",
  },
};

export type EmailMessages = typeof ja;

const en: EmailMessages = {
  common: {
    greeting: (name) => (name ? `Dear ${name},` : "Hello,"),
    personalLink: "The links in this email are personal to you, so please don't forward it.",
    buttonFallback: "If the button doesn't work, paste this link into your browser:",
  },
  footer: {
    unsubscribe: "Unsubscribe",
    marketing: (brand) => `You're receiving this email because you agreed to hear from ${brand}.`,
    member: (programme) => `You're receiving this email because you joined ${programme}.`,
    signIn: "You're receiving this email because a sign-in link was requested for this address.",
    eventRegistration: (brand) => `You're receiving this email because you signed up for a ${brand} event.`,
    eventWaitlist: (brand) => `You're receiving this email because you joined the waitlist for a ${brand} event.`,
  },
  details: {
    when: "When",
    venue: "Where",
    capacity: "Places",
    people: (count) => `${count}`,
    duration: "Time needed",
    minutes: (count) => (count === 1 ? "About 1 minute" : `About ${count} minutes`),
    answerBy: "Answer by",
    memberNumber: "Member number",
    memberSince: "Member since",
    checkInCode: "Check-in code",
    confirmBy: "Confirm by",
  },
  surveyInvitation: {
    subject: (_brand, survey) => `We'd love your feedback: ${survey}`,
    preview: (brand) => `${brand} would like to hear what you think.`,
    heading: "We'd love your feedback",
    intro: (brand, survey) =>
      `Thank you for choosing ${brand}. To help us improve what we offer, we'd be grateful if you could answer our survey, “${survey}”.`,
    button: "Take the survey",
    closing: "Every answer is read, and your thoughts will help shape what we do next.",
  },
  surveyReminder: {
    subject: (_brand, survey) => `A gentle reminder: ${survey}`,
    preview: (brand) => `There's still time to share your thoughts with ${brand}.`,
    heading: "There's still time to share your thoughts",
    intro: (brand, survey) =>
      `A little while ago ${brand} invited you to our survey, “${survey}”. If you haven't had a chance yet, we'd still love to hear from you.`,
    button: "Take the survey",
    closing: "If you've already answered, thank you, and please disregard this message.",
  },
  ambassadorInvitation: {
    subject: (_brand, programme) => `You're invited to join ${programme}`,
    preview: (programme) => `An invitation to our ambassador programme, ${programme}.`,
    heading: (programme) => `An invitation to ${programme}`,
    intro: (brand, programme) =>
      `Thank you for your continued support of ${brand}. We're inviting some of our most loyal customers to join our ambassador programme, ${programme}, and we'd be delighted if you would be one of them.`,
    benefitsHeading: "As an ambassador, you'll receive:",
    benefits: [
      "An ambassador certificate: a printable PDF and an online page anyone can use to verify it",
      "Your own referral link and code to share with friends",
      "Invitations to our town meetings, where customers and our team plan what we make together",
      "Points for your activity, such as referrals and coming to events",
    ],
    terms: "Joining is entirely up to you. You can read the programme terms on the next page before you decide.",
    expires: (date) => `This invitation is valid until ${date}.`,
    button: "View your invitation",
    reminder: "A friendly reminder: the invitation we sent you recently expires soon.",
    reminderSubject: (subject) => `Reminder: ${subject}`,
  },
  welcomeCertificate: {
    subject: (_brand, programme) => `Welcome to ${programme}`,
    preview: "Your ambassador certificate is ready.",
    heading: (programme) => `Welcome to ${programme}`,
    intro: (brand, programme) =>
      `Thank you for joining ${programme}. We're delighted to welcome you as a ${brand} ambassador.`,
    certificate: "Your ambassador certificate is ready. You can view it, or print it as a PDF, with the button below.",
    certificateButton: "View your certificate",
    memberPage:
      "Your member page shows your referral link and code, upcoming events, and your activity and points. To sign in, we'll email a sign-in link to this address.",
    memberPageButton: "Go to your member page",
  },
  magicLink: {
    subject: (brand) => `Your ${brand} sign-in link`,
    preview: (minutes) => `This link expires in ${minutes === 1 ? "1 minute" : `${minutes} minutes`}.`,
    heading: "Sign in to your member page",
    intro: (brand) => `We received a request to sign in to your ${brand} member page. Use the button below to sign in.`,
    expiry: (minutes) => `This link expires in ${minutes === 1 ? "1 minute" : `${minutes} minutes`}.`,
    button: "Sign in",
    ignore: "If you didn't ask to sign in, you can safely ignore this email. Nobody can sign in without opening this link.",
  },
  eventInvitation: {
    subject: (_brand, event) => `You're invited: ${event}`,
    preview: (when) => `Join us at our next town meeting, ${when}.`,
    intro: (brand) =>
      `At ${brand}, we hold town meetings where customers and our team sit down together to shape what we do next. We'd love you to join us for the next one.`,
    waitlist: "If all places are taken, we'll put you on the waitlist and let you know as soon as a place opens up.",
    button: "Reply to the invitation",
  },
  eventConfirmation: {
    subject: (_brand, event) => `You're registered: ${event}`,
    preview: (when) => `Your place is confirmed for ${when}.`,
    heading: "You're registered",
    intro: (event) => `Thank you for signing up for “${event}”. Your place is confirmed.`,
    checkInWithCode: "At the door, please show your check-in code or the QR code on your registration page.",
    checkInByName: "At the door, just give your name at reception.",
    calendar: "We've attached a calendar file (event.ics) so you can add the event to your calendar.",
    manage: "If your plans change, please update or cancel your registration below so someone on the waitlist can take your place.",
    button: "Manage your registration",
    closing: "We look forward to seeing you.",
  },
  waitlistPromotion: {
    subject: (_brand, event) => `A place has opened up: ${event}`,
    preview: "Good news: a place has opened up for you.",
    heading: "Good news: a place has opened up",
    intro: (event) => `A place has opened up at “${event}”, which you were on the waitlist for, and we've saved it for you.`,
    confirmBy: (date) =>
      `Please confirm your place by ${date} using the button below. If we don't hear from you by then, we'll offer it to the next person on the waitlist.`,
    confirmButton: "Confirm your place",
    registered: "You're now registered. If you can no longer come, please cancel below so the next person can take your place.",
    manageButton: "Manage your registration",
  },
  eventReminder: {
    subject: (_brand, event) => `Reminder: ${event} is coming up`,
    preview: (when) => `See you on ${when}.`,
    heading: "See you soon",
    intro: (event) => `This is a reminder that “${event}”, which you signed up for, is coming up soon.`,
    manage: "If you can no longer come, please cancel below so someone on the waitlist can take your place.",
    button: "Manage your registration",
    closing: "We look forward to seeing you.",
  },
  eventThanks: {
    subject: (_brand, event) => `Thank you for joining ${event}`,
    preview: "Thank you for coming.",
    heading: "Thank you for coming",
    intro: (brand, event) =>
      `Thank you for joining us at “${event}”. The ideas you shared will help shape the future of ${brand}.`,
    feedback: "To help us make the next one even better, we'd be grateful if you could answer a short survey.",
    button: "Share your feedback",
    closing: "We hope to see you again soon.",
  },
  eventCancelled: {
    subject: (_brand, event) => `Cancelled: ${event}`,
    preview: (event) => `We're sorry: “${event}” will not take place.`,
    heading: "This event has been cancelled",
    intro: (event) => `We're sorry to let you know that “${event}”, which you signed up for, has been cancelled.`,
    messageFromStaff: "The organisers asked us to pass on this message:",
    apology: "We apologise for the inconvenience. You don't need to do anything.",
    closing: "We hope to see you at a future event.",
  },
};

export const messages = { ja, en } satisfies Record<EmailLocale, EmailMessages>;
