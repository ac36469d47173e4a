// A gentle second request to customers who have not answered the questionnaire yet.
import { SurveyEmail, type SurveyEmailData, surveyEmailData, surveyEmailSample } from "./_components/survey-email";
import { messages } from "./_lib/messages";
import { type EmailProps, previewProps } from "./_lib/props";
import { defineTemplate } from "./_lib/types";

export default function SurveyReminderEmail({ data, context }: EmailProps<SurveyEmailData>) {
  return <SurveyEmail data={data} context={context} wording={messages[context.locale].surveyReminder} />;
}

export const template = defineTemplate({
  category: "marketing",
  data: surveyEmailData,
  subject: (data, { brand, locale }) => messages[locale].surveyReminder.subject(brand.name, data.surveyTitle),
  render: (data, context) => <SurveyReminderEmail data={data} context={context} />,
  sample: surveyEmailSample,
});

SurveyReminderEmail.PreviewProps = previewProps(template.sample);
