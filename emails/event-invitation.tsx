// Invites a member, candidate or guest to a town meeting (co-creation event, DESIGN §6) through their RSVP link.
import { z } from "zod";
import { DetailsTable, EmailLayout, FreeText, Greeting, Paragraph, PrimaryButton, Title } from "./_components/layout";
import { formatDateTimeRange } from "./_lib/format";
import { messages } from "./_lib/messages";
import { type EmailProps, previewProps } from "./_lib/props";
import { customerName, dateTime, endsAfterStart, endsAfterStartIssue, positiveInt, requiredText, webUrl } from "./_lib/schema";
import { defineTemplate } from "./_lib/types";

const data = z
  .object({
    customerName,
    eventTitle: requiredText,
    /** Staff-written, shown with its line breaks. */
    description: requiredText.nullable(),
    startsAt: dateTime,
    endsAt: dateTime,
    /** A place or an online link, as staff entered it. */
    venue: requiredText,
    capacity: positiveInt.nullable(),
    /** The invitee's personal RSVP link. */
    rsvpUrl: webUrl,
  })
  .refine(endsAfterStart, endsAfterStartIssue);

type EventInvitationData = z.infer<typeof data>;

export default function EventInvitationEmail({ data, context }: EmailProps<EventInvitationData>) {
  const { brand, locale } = context;
  const { common, details, footer, eventInvitation: wording } = messages[locale];
  const when = formatDateTimeRange(data.startsAt, data.endsAt, { locale, timeZone: brand.timeZone });
  return (
    <EmailLayout context={context} preview={wording.preview(when)} reason={footer.marketing(brand.name)}>
      <Title>{data.eventTitle}</Title>
      <Greeting name={data.customerName} locale={locale} />
      <Paragraph>{wording.intro(brand.name)}</Paragraph>
      {data.description && <FreeText>{data.description}</FreeText>}
      <DetailsTable
        rows={[
          { label: details.when, value: when },
          { label: details.venue, value: data.venue },
          data.capacity === null ? null : { label: details.capacity, value: details.people(data.capacity) },
        ]}
      />
      {data.capacity !== null && <Paragraph>{wording.waitlist}</Paragraph>}
      <PrimaryButton href={data.rsvpUrl} brand={brand}>
        {wording.button}
      </PrimaryButton>
      <Paragraph note>{common.personalLink}</Paragraph>
    </EmailLayout>
  );
}

export const template = defineTemplate({
  category: "marketing",
  data,
  subject: (data, { brand, locale }) => messages[locale].eventInvitation.subject(brand.name, data.eventTitle),
  render: (data, context) => <EventInvitationEmail data={data} context={context} />,
  sample: {
    customerName: "山田 花子",
    eventTitle: "秋の新メニューを一緒に考えるタウンミーティング",
    description: "試作中の新メニューを味わいながら、スタッフと一緒に秋の限定メニューを考えます。\n軽食とお飲み物をご用意しています。",
    startsAt: "2025-09-13T14:00:00+09:00",
    endsAt: "2025-09-13T16:00:00+09:00",
    venue: "Sakura Coffee 渋谷店 2階 イベントスペース",
    capacity: 30,
    rsvpUrl: "https://portal.example.com/e/sample-rsvp-token",
  },
});

EventInvitationEmail.PreviewProps = previewProps(template.sample);
