// Thanks attendees after a town meeting and, when staff set one, links the feedback survey.
import { z } from "zod";
import { EmailLayout, Greeting, Paragraph, PrimaryButton, Title } from "./_components/layout";
import { messages } from "./_lib/messages";
import { type EmailProps, previewProps } from "./_lib/props";
import { customerName, requiredText, webUrl } from "./_lib/schema";
import { defineTemplate } from "./_lib/types";

const data = z.object({
  customerName,
  eventTitle: requiredText,
  /** The attendee's personal link to the event's feedback survey, if there is one. */
  feedbackUrl: webUrl.nullable(),
});

type EventThanksData = z.infer<typeof data>;

export default function EventThanksEmail({ data, context }: EmailProps<EventThanksData>) {
  const { brand, locale } = context;
  const { footer, eventThanks: wording } = messages[locale];
  return (
    <EmailLayout context={context} preview={wording.preview} reason={footer.marketing(brand.name)}>
      <Title>{wording.heading}</Title>
      <Greeting name={data.customerName} locale={locale} />
      <Paragraph>{wording.intro(brand.name, data.eventTitle)}</Paragraph>
      {data.feedbackUrl && (
        <>
          <Paragraph>{wording.feedback}</Paragraph>
          <PrimaryButton href={data.feedbackUrl} brand={brand}>
            {wording.button}
          </PrimaryButton>
        </>
      )}
      <Paragraph>{wording.closing}</Paragraph>
    </EmailLayout>
  );
}

export const template = defineTemplate({
  category: "marketing",
  data,
  subject: (data, { brand, locale }) => messages[locale].eventThanks.subject(brand.name, data.eventTitle),
  render: (data, context) => <EventThanksEmail data={data} context={context} />,
  sample: {
    customerName: "山田 花子",
    eventTitle: "秋の新メニューを一緒に考えるタウンミーティング",
    feedbackUrl: "https://portal.example.com/s/sample-feedback-token",
  },
});

EventThanksEmail.PreviewProps = previewProps(template.sample);
