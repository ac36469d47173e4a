// Tells someone registered for an event, or waiting for a place at it, that the event will not take place.
import { z } from "zod";
import { DetailsTable, EmailLayout, FreeText, Greeting, Paragraph, Title } from "./_components/layout";
import { formatDateTime } from "./_lib/format";
import { messages } from "./_lib/messages";
import { type EmailProps, previewProps } from "./_lib/props";
import { customerName, dateTime, requiredText } from "./_lib/schema";
import { defineTemplate } from "./_lib/types";

const data = z.object({
  customerName,
  eventTitle: requiredText,
  startsAt: dateTime,
  venue: requiredText,
  /** The staff's own words on why, or what comes next; left out when they wrote none. */
  message: z.string().trim().max(2000).nullable().default(null),
});

type EventCancelledData = z.infer<typeof data>;

export default function EventCancelledEmail({ data, context }: EmailProps<EventCancelledData>) {
  const { brand, locale } = context;
  const { details, footer, eventCancelled: wording } = messages[locale];
  const when = formatDateTime(data.startsAt, { locale, timeZone: brand.timeZone });
  return (
    <EmailLayout context={context} preview={wording.preview(data.eventTitle)} reason={footer.eventRegistration(brand.name)}>
      <Title>{wording.heading}</Title>
      <Greeting name={data.customerName} locale={locale} />
      <Paragraph>{wording.intro(data.eventTitle)}</Paragraph>
      <DetailsTable
        rows={[
          { label: details.when, value: when },
          { label: details.venue, value: data.venue },
        ]}
      />
      {data.message && (
        <>
          <Paragraph>{wording.messageFromStaff}</Paragraph>
          <FreeText>{data.message}</FreeText>
        </>
      )}
      <Paragraph>{wording.apology}</Paragraph>
      <Paragraph>{wording.closing}</Paragraph>
    </EmailLayout>
  );
}

export const template = defineTemplate({
  category: "transactional",
  data,
  subject: (data, { brand, locale }) => messages[locale].eventCancelled.subject(brand.name, data.eventTitle),
  render: (data, context) => <EventCancelledEmail data={data} context={context} />,
  sample: {
    customerName: "山田 花子",
    eventTitle: "秋の新メニューを一緒に考えるタウンミーティング",
    startsAt: "2025-09-13T14:00:00+09:00",
    venue: "Sakura Coffee 渋谷店 2階 イベントスペース",
    message: "台風の接近により、皆様の安全を第一に考え中止とさせていただきました。\n改めて日程が決まりましたら、ご案内いたします。",
  },
});

EventCancelledEmail.PreviewProps = previewProps(template.sample);
