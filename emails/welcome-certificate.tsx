// Welcomes a new ambassador after they accept: their certificate and the way to their member page.
import { z } from "zod";
import { DetailsTable, EmailLayout, Greeting, Paragraph, PrimaryButton, Title } from "./_components/layout";
import { formatCalendarDate } from "./_lib/format";
import { messages } from "./_lib/messages";
import { type EmailProps, previewProps } from "./_lib/props";
import { calendarDate, customerName, requiredText, webUrl } from "./_lib/schema";
import { defineTemplate } from "./_lib/types";

const data = z.object({
  customerName,
  programmeName: requiredText,
  memberNumber: requiredText,
  memberSince: calendarDate,
  memberUrl: webUrl,
  /** The signed certificate's page (printable PDF and verification). */
  certificateUrl: webUrl,
});

type WelcomeCertificateData = z.infer<typeof data>;

export default function WelcomeCertificateEmail({ data, context }: EmailProps<WelcomeCertificateData>) {
  const { brand, locale } = context;
  const { details, footer, welcomeCertificate: wording } = messages[locale];
  return (
    <EmailLayout context={context} preview={wording.preview} reason={footer.member(data.programmeName)}>
      <Title>{wording.heading(data.programmeName)}</Title>
      <Greeting name={data.customerName} locale={locale} />
      <Paragraph>{wording.intro(brand.name, data.programmeName)}</Paragraph>
      <DetailsTable
        rows={[
          { label: details.memberNumber, value: data.memberNumber },
          { label: details.memberSince, value: formatCalendarDate(data.memberSince, locale) },
        ]}
      />
      <Paragraph>{wording.certificate}</Paragraph>
      <PrimaryButton href={data.certificateUrl} brand={brand}>
        {wording.certificateButton}
      </PrimaryButton>
      <Paragraph>{wording.memberPage}</Paragraph>
      <PrimaryButton href={data.memberUrl} brand={brand}>
        {wording.memberPageButton}
      </PrimaryButton>
    </EmailLayout>
  );
}

export const template = defineTemplate({
  category: "transactional",
  data,
  subject: (data, { brand, locale }) => messages[locale].welcomeCertificate.subject(brand.name, data.programmeName),
  render: (data, context) => <WelcomeCertificateEmail data={data} context={context} />,
  sample: {
    customerName: "山田 花子",
    programmeName: "Sakura Coffee アンバサダー",
    memberNumber: "A-000123",
    memberSince: "2025-07-01",
    memberUrl: "https://portal.example.com/m",
    certificateUrl: "https://portal.example.com/verify/SAMPLE-CODE",
  },
});

WelcomeCertificateEmail.PreviewProps = previewProps(template.sample);
