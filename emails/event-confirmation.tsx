// Confirms an RSVP, with the check-in code and the event as an .ics file for the reader's calendar.
import { createEvent } from "ics";
import { z } from "zod";
import { DetailsTable, EmailLayout, Greeting, Paragraph, PrimaryButton, Title } from "./_components/layout";
import { formatDateTimeRange } from "./_lib/format";
import { messages } from "./_lib/messages";
import { type EmailProps, previewProps } from "./_lib/props";
import { customerName, dateTime, endsAfterStart, endsAfterStartIssue, requiredText, webUrl } from "./_lib/schema";
import { type EmailAttachment, type EmailContext, defineTemplate } from "./_lib/types";

const data = z
  .object({
    customerName,
    eventTitle: requiredText,
    startsAt: dateTime,
    endsAt: dateTime,
    venue: requiredText,
    /** The attendee's personal page to change or cancel the RSVP (and show the ticket's QR code). */
    manageUrl: webUrl,
    checkInCode: requiredText.nullable(),
    /** Stable per event, so calendars update the entry they already have instead of adding a second one. */
    eventUid: requiredText,
  })
  .refine(endsAfterStart, endsAfterStartIssue);

type EventConfirmationData = z.infer<typeof data>;

export default function EventConfirmationEmail({ data, context }: EmailProps<EventConfirmationData>) {
  const { brand, locale } = context;
  const { details, footer, eventConfirmation: wording } = messages[locale];
  const when = formatDateTimeRange(data.startsAt, data.endsAt, { locale, timeZone: brand.timeZone });
  return (
    <EmailLayout context={context} preview={wording.preview(when)} reason={footer.eventRegistration(brand.name)}>
      <Title>{wording.heading}</Title>
      <Greeting name={data.customerName} locale={locale} />
      <Paragraph>{wording.intro(data.eventTitle)}</Paragraph>
      <DetailsTable
        rows={[
          { label: details.when, value: when },
          { label: details.venue, value: data.venue },
          data.checkInCode === null ? null : { label: details.checkInCode, value: data.checkInCode },
        ]}
      />
      <Paragraph>{data.checkInCode === null ? wording.checkInByName : wording.checkInWithCode}</Paragraph>
      <Paragraph>{wording.calendar}</Paragraph>
      <Paragraph>{wording.manage}</Paragraph>
      <PrimaryButton href={data.manageUrl} brand={brand}>
        {wording.button}
      </PrimaryButton>
      <Paragraph>{wording.closing}</Paragraph>
    </EmailLayout>
  );
}

/** The event as an iCalendar file; times go out in UTC so no calendar has to know the brand's zone. */
function calendarFile(data: EventConfirmationData, { brand, locale }: EmailContext): EmailAttachment {
  const { error, value } = createEvent({
    productId: `-//${brand.name}//Town meetings//EN`,
    method: "PUBLISH",
    uid: data.eventUid,
    title: data.eventTitle,
    location: data.venue,
    url: data.manageUrl,
    description: `${messages[locale].eventConfirmation.button}: ${data.manageUrl}`,
    status: "CONFIRMED",
    start: Date.parse(data.startsAt),
    startInputType: "utc",
    startOutputType: "utc",
    end: Date.parse(data.endsAt),
    endInputType: "utc",
    endOutputType: "utc",
  });
  if (error || !value) {
    throw new Error(`event-confirmation: could not build event.ics for event ${data.eventUid}: ${error?.message ?? "no output"}`);
  }
  return { filename: "event.ics", content: value, contentType: "text/calendar; charset=utf-8; method=PUBLISH" };
}

export const template = defineTemplate({
  category: "transactional",
  data,
  subject: (data, { brand, locale }) => messages[locale].eventConfirmation.subject(brand.name, data.eventTitle),
  render: (data, context) => <EventConfirmationEmail data={data} context={context} />,
  attachments: (data, context) => [calendarFile(data, context)],
  sample: {
    customerName: "山田 花子",
    eventTitle: "秋の新メニューを一緒に考えるタウンミーティング",
    startsAt: "2025-09-13T14:00:00+09:00",
    endsAt: "2025-09-13T16:00:00+09:00",
    venue: "Sakura Coffee 渋谷店 2階 イベントスペース",
    manageUrl: "https://portal.example.com/e/sample-rsvp-token",
    checkInCode: "K7Q-42M",
    eventUid: "event-0f6c2a1e@portal.example.com",
  },
});

EventConfirmationEmail.PreviewProps = previewProps(template.sample);
