// Reads QR codes (event tickets at the door) from the phone's rear camera and reports each decoded text.
// The decoder is loaded with import() only once the camera runs, so server rendering never touches it.
import { useEffect, useRef, useState } from "react";

type DecodeQr = typeof import("jsqr").default;

export interface QrScannerLabels {
  start: string;
  stop: string;
  noCamera: string;
  permissionDenied: string;
}

interface QrScannerProps {
  onCode: (text: string) => void;
  /** While true the camera stays on but nothing is decoded (e.g. while a check-in is being saved). */
  paused?: boolean;
  labels: QrScannerLabels;
}

type ScannerState = "idle" | "starting" | "scanning" | "noCamera" | "permissionDenied";

/** The same code held in front of the camera is reported once, then again only after this long. */
const REPEAT_AFTER_MS = 3000;
/** Decoding every frame only heats the phone; a few tries a second feel instant at a door. */
const DECODE_EVERY_MS = 150;
/** Frames are scaled down to this width before decoding: plenty for a ticket held up to the camera. */
const DECODE_WIDTH = 640;

function failureState(error: unknown): ScannerState {
  const name = error instanceof DOMException ? error.name : "";
  return name === "NotAllowedError" || name === "SecurityError" ? "permissionDenied" : "noCamera";
}

export function QrScanner({ onCode, paused = false, labels }: QrScannerProps) {
  const [state, setState] = useState<ScannerState>("idle");
  const videoRef = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  // Read by the decode loop, so a new callback or a pause does not restart the camera.
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  function stopCamera() {
    for (const track of streamRef.current?.getTracks() ?? []) track.stop();
    streamRef.current = null;
    if (videoRef.current) videoRef.current.srcObject = null;
  }

  async function start() {
    if (!navigator.mediaDevices?.getUserMedia) {
      setState("noCamera");
      return;
    }
    setState("starting");
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: "environment" } },
        audio: false,
      });
      streamRef.current = stream;
      setState("scanning");
    } catch (error) {
      stopCamera();
      setState(failureState(error));
    }
  }

  function stop() {
    stopCamera();
    setState("idle");
  }

  // The camera is the user's: let it go when the scanner leaves the page.
  useEffect(() => stopCamera, []);

  useEffect(() => {
    if (state !== "scanning") return;
    const video = videoRef.current;
    const stream = streamRef.current;
    if (!video || !stream) return;
    let cancelled = false;
    let frame = 0;
    let lastDecodeAt = 0;
    let lastReport: { text: string; at: number } | null = null;
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });

    function tick(decode: DecodeQr, now: number) {
      if (cancelled) return;
      frame = requestAnimationFrame((time) => tick(decode, time));
      if (pausedRef.current || !context || now - lastDecodeAt < DECODE_EVERY_MS) return;
      if (!video || video.readyState < video.HAVE_CURRENT_DATA || video.videoWidth === 0) return;
      lastDecodeAt = now;
      const scale = Math.min(1, DECODE_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
      const text = decode(data, width, height, { inversionAttempts: "dontInvert" })?.data;
      if (!text) return;
      if (lastReport && lastReport.text === text && now - lastReport.at < REPEAT_AFTER_MS) return;
      lastReport = { text, at: now };
      onCodeRef.current(text);
    }

    video.srcObject = stream;
    // Autoplay of a muted inline video is allowed; a refusal leaves the video black, not the page broken.
    video.play().catch(() => {});
    import("jsqr")
      .then(({ default: decode }) => {
        if (!cancelled) frame = requestAnimationFrame((time) => tick(decode, time));
      })
      .catch(() => {
        if (!cancelled) {
          stopCamera();
          setState("noCamera");
        }
      });
    return () => {
      cancelled = true;
      cancelAnimationFrame(frame);
    };
  }, [state]);

  const running = state === "starting" || state === "scanning";
  const problem = state === "noCamera" ? labels.noCamera : state === "permissionDenied" ? labels.permissionDenied : null;

  return (
    <div className="qr-scanner stack">
      <div className="qr-scanner-viewport" hidden={!running}>
        {/* A camera preview has no speech to caption. */}
        <video ref={videoRef} className="qr-scanner-video" muted playsInline aria-hidden />
      </div>
      {problem && (
        <p className="alert alert-error" role="alert">
          {problem}
        </p>
      )}
      <div>
        {running ? (
          <button type="button" className="button button-secondary" onClick={stop}>
            {labels.stop}
          </button>
        ) : (
          <button type="button" className="button" onClick={start}>
            {labels.start}
          </button>
        )}
      </div>
    </div>
  );
}
