// The sign-in link for an ambassador's member page; harmless to ignore when the reader did not ask for it.
import { z } from "zod";
import { EmailLayout, LinkFallback, Paragraph, PrimaryButton, Title } from "./_components/layout";
import { messages } from "./_lib/messages";
import { type EmailProps, previewProps } from "./_lib/props";
import { positiveInt, webUrl } from "./_lib/schema";
import { defineTemplate } from "./_lib/types";

const data = z.object({
  signInUrl: webUrl,
  expiresInMinutes: positiveInt,
});

type MagicLinkData = z.infer<typeof data>;

export default function MagicLinkEmail({ data, context }: EmailProps<MagicLinkData>) {
  const { brand, locale } = context;
  const { common, footer, magicLink: wording } = messages[locale];
  return (
    <EmailLayout context={context} preview={wording.preview(data.expiresInMinutes)} reason={footer.signIn}>
      <Title>{wording.heading}</Title>
      <Paragraph>{wording.intro(brand.name)}</Paragraph>
      <PrimaryButton href={data.signInUrl} brand={brand}>
        {wording.button}
      </PrimaryButton>
      <Paragraph>{wording.expiry(data.expiresInMinutes)}</Paragraph>
      {/* Sign-in must work even where a client mangles buttons, so the URL is also written out. */}
      <LinkFallback href={data.signInUrl} brand={brand} label={common.buttonFallback} />
      <Paragraph note>{wording.ignore}</Paragraph>
    </EmailLayout>
  );
}

export const template = defineTemplate({
  category: "transactional",
  data,
  subject: (_data, { brand, locale }) => messages[locale].magicLink.subject(brand.name),
  render: (data, context) => <MagicLinkEmail data={data} context={context} />,
  sample: {
    signInUrl: "https://portal.example.com/m/sign-in?token=sample-sign-in-token",
    expiresInMinutes: 15,
  },
});

MagicLinkEmail.PreviewProps = previewProps(template.sample);
