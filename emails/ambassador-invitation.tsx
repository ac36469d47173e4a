// Invites a chosen candidate into the ambassador programme (DESIGN §5), with what members get and the accept link.
import { z } from "zod";
import { BulletList, EmailLayout, FreeText, Greeting, Paragraph, PrimaryButton, Title } from "./_components/layout";
import { formatDateTime } from "./_lib/format";
import { messages } from "./_lib/messages";
import { type EmailProps, previewProps } from "./_lib/props";
import { customerName, dateTime, requiredText, webUrl } from "./_lib/schema";
import { defineTemplate } from "./_lib/types";

const data = z.object({
  customerName,
  programmeName: requiredText,
  /** The candidate's personal accept link. */
  acceptUrl: webUrl,
  /** When the invitation lapses; null for an invitation without a deadline. */
  expiresAt: dateTime.nullable(),
  /** The staff's own words to this invitee, shown as written (line breaks kept). */
  personalMessage: z.string().trim().max(2000).nullable().default(null),
  /** The one reminder before the invitation lapses. */
  reminder: z.boolean().default(false),
});

type AmbassadorInvitationData = z.infer<typeof data>;

export default function AmbassadorInvitationEmail({ data, context }: EmailProps<AmbassadorInvitationData>) {
  const { brand, locale } = context;
  const { common, footer, ambassadorInvitation: wording } = messages[locale];
  return (
    <EmailLayout context={context} preview={wording.preview(data.programmeName)} reason={footer.marketing(brand.name)}>
      <Title>{wording.heading(data.programmeName)}</Title>
      <Greeting name={data.customerName} locale={locale} />
      {data.reminder && <Paragraph>{wording.reminder}</Paragraph>}
      <Paragraph>{wording.intro(brand.name, data.programmeName)}</Paragraph>
      {data.personalMessage && <FreeText>{data.personalMessage}</FreeText>}
      <Paragraph>{wording.benefitsHeading}</Paragraph>
      <BulletList items={wording.benefits} />
      <Paragraph>{wording.terms}</Paragraph>
      {data.expiresAt && (
        <Paragraph>{wording.expires(formatDateTime(data.expiresAt, { locale, timeZone: brand.timeZone }))}</Paragraph>
      )}
      <PrimaryButton href={data.acceptUrl} brand={brand}>
        {wording.button}
      </PrimaryButton>
      <Paragraph note>{common.personalLink}</Paragraph>
    </EmailLayout>
  );
}

export const template = defineTemplate({
  category: "marketing",
  data,
  subject: (data, { brand, locale }) => {
    const wording = messages[locale].ambassadorInvitation;
    const subject = wording.subject(brand.name, data.programmeName);
    return data.reminder ? wording.reminderSubject(subject) : subject;
  },
  render: (data, context) => <AmbassadorInvitationEmail data={data} context={context} />,
  sample: {
    customerName: "山田 花子",
    programmeName: "Sakura Coffee アンバサダー",
    acceptUrl: "https://portal.example.com/join/sample-invitation-token",
    expiresAt: "2025-08-15T23:59:00+09:00",
    personalMessage: "いつも店頭で素敵な笑顔をありがとうございます。ぜひご一緒できればうれしいです。\n店長 佐藤",
    reminder: false,
  },
});

AmbassadorInvitationEmail.PreviewProps = previewProps(template.sample);
