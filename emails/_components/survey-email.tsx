// The survey invitation and its reminder: the same data and layout, only the wording differs.
import { z } from "zod";
import { formatDateTime } from "../_lib/format";
import { type EmailMessages, messages } from "../_lib/messages";
import type { EmailProps } from "../_lib/props";
import { customerName, dateTime, positiveInt, requiredText, webUrl } from "../_lib/schema";
import { DetailsTable, EmailLayout, Greeting, Paragraph, PrimaryButton, Title } from "./layout";

export const surveyEmailData = z.object({
  customerName,
  surveyTitle: requiredText,
  /** The recipient's personal answer link. */
  surveyUrl: webUrl,
  expiresAt: dateTime.nullable(),
  estimatedMinutes: positiveInt.nullable(),
});

export type SurveyEmailData = z.infer<typeof surveyEmailData>;

export const surveyEmailSample: SurveyEmailData = {
  customerName: "山田 花子",
  surveyTitle: "2025年 夏のお客様アンケート",
  surveyUrl: "https://portal.example.com/s/sample-survey-token",
  expiresAt: "2025-07-31T23:59:00+09:00",
  estimatedMinutes: 5,
};

type SurveyWording = EmailMessages["surveyInvitation"] | EmailMessages["surveyReminder"];

export function SurveyEmail({ data, context, wording }: EmailProps<SurveyEmailData> & { wording: SurveyWording }) {
  const { brand, locale } = context;
  const { common, details, footer } = messages[locale];
  return (
    <EmailLayout context={context} preview={wording.preview(brand.name)} reason={footer.marketing(brand.name)}>
      <Title>{wording.heading}</Title>
      <Greeting name={data.customerName} locale={locale} />
      <Paragraph>{wording.intro(brand.name, data.surveyTitle)}</Paragraph>
      <DetailsTable
        rows={[
          data.estimatedMinutes === null ? null : { label: details.duration, value: details.minutes(data.estimatedMinutes) },
          data.expiresAt === null
            ? null
            : { label: details.answerBy, value: formatDateTime(data.expiresAt, { locale, timeZone: brand.timeZone }) },
        ]}
      />
      <PrimaryButton href={data.surveyUrl} brand={brand}>
        {wording.button}
      </PrimaryButton>
      <Paragraph>{wording.closing}</Paragraph>
      <Paragraph note>{common.personalLink}</Paragraph>
    </EmailLayout>
  );
}
