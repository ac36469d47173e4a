// Tells someone on an event's waitlist that a seat freed up for them, and by when to confirm it if asked to.
import { z } from "zod";
import { DetailsTable, EmailLayout, Greeting, Paragraph, PrimaryButton, Title } from "./_components/layout";
import { formatDateTime } from "./_lib/format";
import { messages } from "./_lib/messages";
import { type EmailProps, previewProps } from "./_lib/props";
import { customerName, dateTime, requiredText, webUrl } from "./_lib/schema";
import { defineTemplate } from "./_lib/types";

const data = z.object({
  customerName,
  eventTitle: requiredText,
  startsAt: dateTime,
  venue: requiredText,
  manageUrl: webUrl,
  /** Null when the move up already confirmed the seat; otherwise the seat passes on after this moment. */
  confirmBy: dateTime.nullable(),
});

type WaitlistPromotionData = z.infer<typeof data>;

export default function WaitlistPromotionEmail({ data, context }: EmailProps<WaitlistPromotionData>) {
  const { brand, locale } = context;
  const { details, footer, waitlistPromotion: wording } = messages[locale];
  const format = { locale, timeZone: brand.timeZone };
  const confirmBy = data.confirmBy && formatDateTime(data.confirmBy, format);
  return (
    <EmailLayout context={context} preview={wording.preview} reason={footer.eventWaitlist(brand.name)}>
      <Title>{wording.heading}</Title>
      <Greeting name={data.customerName} locale={locale} />
      <Paragraph>{wording.intro(data.eventTitle)}</Paragraph>
      <DetailsTable
        rows={[
          { label: details.when, value: formatDateTime(data.startsAt, format) },
          { label: details.venue, value: data.venue },
          confirmBy ? { label: details.confirmBy, value: confirmBy } : null,
        ]}
      />
      <Paragraph>{confirmBy ? wording.confirmBy(confirmBy) : wording.registered}</Paragraph>
      <PrimaryButton href={data.manageUrl} brand={brand}>
        {confirmBy ? wording.confirmButton : wording.manageButton}
      </PrimaryButton>
    </EmailLayout>
  );
}

export const template = defineTemplate({
  category: "transactional",
  data,
  subject: (data, { brand, locale }) => messages[locale].waitlistPromotion.subject(brand.name, data.eventTitle),
  render: (data, context) => <WaitlistPromotionEmail data={data} context={context} />,
  sample: {
    customerName: "山田 花子",
    eventTitle: "秋の新メニューを一緒に考えるタウンミーティング",
    startsAt: "2025-09-13T14:00:00+09:00",
    venue: "Sakura Coffee 渋谷店 2階 イベントスペース",
    manageUrl: "https://portal.example.com/e/sample-rsvp-token",
    confirmBy: "2025-09-10T18:00:00+09:00",
  },
});

WaitlistPromotionEmail.PreviewProps = previewProps(template.sample);
