// An email as its recipient sees it, in a frame as tall as the message: no scrollbar inside the frame,
// the call to action in view, as wide as the card up to the email's own 600 px, a phone's width too.
// The frame is sandboxed without scripts; `allow-same-origin` only lets this page read the message's
// height (nothing in the message can run, submit a form or reach the page).
import { useEffect, useRef, useState } from "react";

export function MailFrame({ title, html, followLinks = false }: { title: string; html: string; followLinks?: boolean }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState<number | null>(null);

  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    let observer: ResizeObserver | null = null;
    // The document's own height (not the frame's), plus the frame's border: images that load later,
    // a narrower window or a font swap resize the frame again through the observer.
    const measure = () => {
      const root = element.contentDocument?.documentElement;
      if (!root) return;
      const border = element.offsetHeight - element.clientHeight;
      setHeight(Math.ceil(root.getBoundingClientRect().height) + border);
    };
    const follow = () => {
      observer?.disconnect();
      // Not the empty document a frame holds before its srcdoc loads.
      if (element.contentDocument?.URL !== "about:srcdoc") return;
      const root = element.contentDocument.documentElement;
      measure();
      observer = new ResizeObserver(measure);
      observer.observe(root);
    };
    element.addEventListener("load", follow);
    // Loaded before hydration (the frame came with the server's HTML): follow it now.
    if (element.contentDocument?.readyState === "complete") follow();
    return () => {
      element.removeEventListener("load", follow);
      observer?.disconnect();
    };
  }, [html]);

  return (
    <iframe
      ref={frame}
      title={title}
      className="mail-frame"
      sandbox={followLinks ? "allow-same-origin allow-popups allow-popups-to-escape-sandbox" : "allow-same-origin"}
      srcDoc={html}
      style={height ? { height } : undefined}
      data-testid="mail-frame"
    />
  );
}
