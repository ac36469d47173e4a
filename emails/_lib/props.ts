// What every template component takes, and the context the preview server (`npm run email:preview`) shows it in.
import type { EmailContext } from "./types";

export interface EmailProps<Data> {
  data: Data;
  context: EmailContext;
}

export const previewContext: EmailContext = {
  brand: { name: "Sakura Coffee", color: "#2f5bea", timeZone: "Asia/Tokyo" },
  locale: "ja",
  unsubscribeUrl: "https://portal.example.com/unsubscribe/sample-token",
};

export function previewProps<Data>(data: Data): EmailProps<Data> {
  return { data, context: previewContext };
}
