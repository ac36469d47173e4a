// Asks a customer to answer a loyalty questionnaire through their personal link.
import { SurveyEmail, type SurveyEmailData, surveyEmailData, surveyEmailSample } from "./_components/survey-email";
import { messages } from "./_lib/messages";
import { type EmailProps, previewProps } from "./_lib/props";
import { defineTemplate } from "./_lib/types";

export default function SurveyInvitationEmail({ data, context }: EmailProps<SurveyEmailData>) {
  return <SurveyEmail data={data} context={context} wording={messages[context.locale].surveyInvitation} />;
}

export const template = defineTemplate({
  category: "marketing",
  data: surveyEmailData,
  subject: (data, { brand, locale }) => messages[locale].surveyInvitation.subject(brand.name, data.surveyTitle),
  render: (data, context) => <SurveyInvitationEmail data={data} context={context} />,
  sample: surveyEmailSample,
});

SurveyInvitationEmail.PreviewProps = previewProps(template.sample);
