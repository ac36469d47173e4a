import { PassThrough, type Writable } from "node:stream";
import { text } from "node:stream/consumers";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { withoutNulBytes } from "~/utils/html-stream.server";

/** The page's HTML as the server streams it, through `destination`. */
function render(node: React.ReactNode, destination: Writable & NodeJS.ReadableStream) {
  return new Promise<string>((resolve, reject) => {
    const { pipe } = renderToPipeableStream(node, { onAllReady: () => void text(pipe(destination) as never).then(resolve, reject), onError: reject });
  });
}

describe("server-rendered HTML", () => {
  // Short Japanese texts between ASCII tags: some three-byte character ends up across a 2 KB chunk border.
  const title = "当ブランドについてのアンケート";
  const page = (
    <ul>
      {Array.from({ length: 200 }, (_, i) => (
        <li key={i}>
          <input defaultValue={title} />
        </li>
      ))}
    </ul>
  );

  it("React 18.3 alone pads a chunk with NUL bytes where a Japanese character does not fit (why the filter exists)", async () => {
    expect(await render(page, new PassThrough())).toContain("\0");
  });

  it("reaches the browser without NUL bytes and with every character intact", async () => {
    const html = await render(page, withoutNulBytes());
    expect(html).not.toContain("\0");
    expect(html).not.toContain("\ufffd");
    expect(html.split(`<input value="${title}"/>`)).toHaveLength(201);
  });
});
