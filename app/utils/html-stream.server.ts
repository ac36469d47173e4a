// The server-rendered HTML on its way out. React 18.3's renderToPipeableStream pads a 2 KB chunk with
// NUL bytes when a multi-byte character does not fit at its end (facebook/react#31134): the browser
// shows them as U+FFFD, so a Japanese title read "当ブラン��ド" until JavaScript repainted it, and for
// good with JavaScript off. The character itself follows in the next chunk, intact.
import { Transform } from "node:stream";

/**
 * A pass-through that drops NUL bytes. Nothing we render holds a real U+0000: the database cannot
 * store one in text, JSON escapes it, and an HTML parser would turn it into U+FFFD anyway.
 */
export function withoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, chunk.includes(0) ? chunk.filter((byte) => byte !== 0) : chunk);
    },
  });
}
