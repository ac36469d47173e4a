// Reminds a registered attendee of an upcoming event, with the way to cancel so the waitlist can move up.
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
});

type EventReminderData = z.infer<typeof data>;

export default function EventReminderEmail({ data, context }: EmailProps<EventReminderData>) {
  const { brand, locale } = context;
  const { details, footer, eventReminder: wording } = messages[locale];
  const when = formatDateTime(data.startsAt, { locale, timeZone: brand.timeZone });
  return (
    <EmailLayout context={context} preview={wording.preview(when)} reason={footer.eventRegistration(brand.name)}>
      <Title>{wording.heading}</Title>
      <Greeting name={data.customerName} locale={locale} />
      <Paragraph>{wording.intro(data.eventTitle)}</Paragraph>
      <DetailsTable
        rows={[
          { label: details.when, value: when },
          { label: details.venue, value: data.venue },
        ]}
      />
      <Paragraph>{wording.manage}</Paragraph>
      <PrimaryButton href={data.manageUrl} brand={brand}>
        {wording.button}
      </PrimaryButton>
      <Paragraph>{wording.closing}</Paragraph>
    </EmailLayout>
  );
}

export const template = defineTemplate({
  category: "transactional",
  data,
  subject: (data, { brand, locale }) => messages[locale].eventReminder.subject(brand.name, data.eventTitle),
  render: (data, context) => <EventReminderEmail data={data} context={context} />,
  sample: {
    customerName: "山田 花子",
    eventTitle: "秋の新メニューを一緒に考えるタウンミーティング",
    startsAt: "2025-09-13T14:00:00+09:00",
    venue: "Sakura Coffee 渋谷店 2階 イベントスペース",
    manageUrl: "https://portal.example.com/e/sample-rsvp-token",
  },
});

EventReminderEmail.PreviewProps = previewProps(template.sample);
