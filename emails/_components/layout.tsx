// The frame every email shares (brand band, content, footer with the reason and the unsubscribe link) and the
// few blocks templates are built from. Inline styles only: most mail clients drop <style> and classes.
import { Body, Button, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import { type CSSProperties, Fragment, type ReactNode } from "react";
import { linkColorFor, textColorOn } from "../_lib/color";
import { messages } from "../_lib/messages";
import type { EmailBrand, EmailContext, EmailLocale } from "../_lib/types";

// System fonts only (web fonts are blocked by many clients); the Japanese faces cover kana and kanji.
const fontFamily =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", "Helvetica Neue", Arial, "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans JP", Meiryo, sans-serif';

const styles = {
  body: { backgroundColor: "#f4f5f7", margin: 0, padding: "24px 0", fontFamily },
  // The font is repeated on the container: some Outlook versions do not pass it into nested tables.
  container: { maxWidth: "600px", width: "100%", margin: "0 auto", backgroundColor: "#ffffff", fontFamily },
  band: { padding: "20px 32px" },
  bandName: { margin: 0, fontSize: "20px", lineHeight: "28px", fontWeight: 700 },
  content: { padding: "32px 32px 8px" },
  heading: { margin: "0 0 20px", fontSize: "22px", lineHeight: "32px", fontWeight: 700, color: "#1f2933" },
  paragraph: { margin: "0 0 16px", fontSize: "16px", lineHeight: "28px", color: "#1f2933" },
  note: { margin: "0 0 16px", fontSize: "14px", lineHeight: "24px", color: "#52606d" },
  list: { margin: "0 0 16px", paddingLeft: "24px", fontSize: "16px", lineHeight: "28px", color: "#1f2933" },
  buttonRow: { margin: "8px 0 24px" },
  button: { display: "inline-block", padding: "14px 28px", borderRadius: "6px", fontSize: "16px", fontWeight: 700, textDecoration: "none" },
  detailsTable: { width: "100%", margin: "0 0 24px", borderCollapse: "collapse", backgroundColor: "#f7f8fa" },
  detailsLabel: {
    padding: "10px 16px",
    width: "30%",
    verticalAlign: "top",
    fontSize: "14px",
    lineHeight: "24px",
    fontWeight: 400,
    color: "#52606d",
    whiteSpace: "nowrap",
  },
  detailsValue: { padding: "10px 16px", verticalAlign: "top", fontSize: "15px", lineHeight: "24px", color: "#1f2933" },
  rule: { borderColor: "#e4e7eb", margin: 0 },
  footer: { padding: "20px 32px 28px" },
  footerBrand: { margin: "0 0 4px", fontSize: "14px", lineHeight: "22px", fontWeight: 700, color: "#52606d" },
  footerText: { margin: "0 0 4px", fontSize: "12px", lineHeight: "20px", color: "#52606d" },
  footerLink: { color: "#52606d", textDecoration: "underline" },
} satisfies Record<string, CSSProperties>;

interface EmailLayoutProps {
  context: EmailContext;
  /** The line inbox lists show after the subject. */
  preview: string;
  /** One line in the footer saying why the recipient got this email. */
  reason: string;
  children: ReactNode;
}

export function EmailLayout({ context, preview, reason, children }: EmailLayoutProps) {
  const { brand, locale, unsubscribeUrl } = context;
  return (
    <Html lang={locale} dir="ltr">
      <Head>
        <meta name="color-scheme" content="light" />
      </Head>
      <Body style={styles.body}>
        <Preview>{preview}</Preview>
        <Container style={styles.container}>
          <Section style={{ ...styles.band, backgroundColor: brand.color }}>
            <Text style={{ ...styles.bandName, color: textColorOn(brand.color) }}>{brand.name}</Text>
          </Section>
          <Section style={styles.content}>{children}</Section>
          <Hr style={styles.rule} />
          <Section style={styles.footer}>
            <Text style={styles.footerBrand}>{brand.name}</Text>
            <Text style={styles.footerText}>{reason}</Text>
            {unsubscribeUrl && (
              <Text style={styles.footerText}>
                <Link href={unsubscribeUrl} style={styles.footerLink}>
                  {messages[locale].footer.unsubscribe}
                </Link>
              </Text>
            )}
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

export function Title({ children }: { children: ReactNode }) {
  return (
    <Heading as="h1" style={styles.heading}>
      {children}
    </Heading>
  );
}

/** 「〇〇様」 / "Dear 〇〇,", or a neutral greeting when the name is unknown. */
export function Greeting({ name, locale }: { name: string | null; locale: EmailLocale }) {
  return <Paragraph>{messages[locale].common.greeting(name)}</Paragraph>;
}

/** Body text; `note` for the small grey print (personal-link warnings, "ignore this if…"). */
export function Paragraph({ children, note = false }: { children: ReactNode; note?: boolean }) {
  return <Text style={note ? styles.note : styles.paragraph}>{children}</Text>;
}

/**
 * Staff-written text such as an event description. Its line breaks become <br>s, which every client honours
 * and the plain-text part keeps (CSS `white-space` would do neither).
 */
export function FreeText({ children }: { children: string }) {
  const lines = children.split(/\r?\n/);
  return (
    <Text style={styles.paragraph}>
      {lines.map((line, index) => (
        // Lines can repeat (blank ones): their position is their only identity.
        <Fragment key={index}>
          {index > 0 && <br />}
          {line}
        </Fragment>
      ))}
    </Text>
  );
}

export function BulletList({ items }: { items: string[] }) {
  return (
    <ul style={styles.list}>
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}

/**
 * The email's call to action. Its text says where it goes; the plain-text part shows the text followed by
 * the URL, so it reads as "Take the survey https://…".
 */
export function PrimaryButton({ href, brand, children }: { href: string; brand: EmailBrand; children: string }) {
  return (
    <Section style={styles.buttonRow}>
      <Button href={href} style={{ ...styles.button, backgroundColor: brand.color, color: textColorOn(brand.color) }}>
        {children}
      </Button>
    </Section>
  );
}

/**
 * The button's URL written out, for clients that break buttons. The plain-text part already carries the
 * URL after the button text, so this paragraph is left out of it.
 */
export function LinkFallback({ href, brand, label }: { href: string; brand: EmailBrand; label: string }) {
  return (
    <Text style={{ ...styles.note, wordBreak: "break-all" }} data-skip-in-text="true">
      {label}
      <br />
      <Link href={href} style={{ color: linkColorFor(brand.color) }}>
        {href}
      </Link>
    </Text>
  );
}

export interface DetailRow {
  label: string;
  value: string;
}

/**
 * Label/value rows (when, where, member number). Rows given as null are skipped, for optional fields.
 * `data-text-format` makes the plain-text part print it as aligned "label   value" lines.
 */
export function DetailsTable({ rows }: { rows: Array<DetailRow | null> }) {
  const shown = rows.filter((row): row is DetailRow => row !== null);
  if (shown.length === 0) return null;
  return (
    <table cellPadding={0} cellSpacing={0} style={styles.detailsTable} data-text-format="dataTable">
      <tbody>
        {shown.map(({ label, value }) => (
          <tr key={label}>
            <th scope="row" align="left" style={styles.detailsLabel}>
              {label}
            </th>
            <td style={styles.detailsValue}>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
