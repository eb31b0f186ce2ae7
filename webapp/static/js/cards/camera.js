// Reading a QR code from the camera: the browser's BarcodeDetector when present, else the
// vendored jsQR decoder. Shared by /verify and the distribution roster.
export async function makeDecoder(canvas, jsqrUrl) {
  if ("BarcodeDetector" in window) {
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) {
        const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        return async (video) => ((await detector.detect(video))[0] || {}).rawValue || null;
      }
    } catch { /* fall through to jsQR */ }
  }
  if (!window.jsQR) {
    await new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = jsqrUrl; script.onload = resolve; script.onerror = reject;
      document.head.append(script);
    });
  }
  const context = canvas.getContext("2d", { willReadFrequently: true });
  return async (video) => {
    canvas.width = video.videoWidth; canvas.height = video.videoHeight;
    context.drawImage(video, 0, 0);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    return found ? found.data : null;
  };
}

// Starts the camera into `video` and calls `onText` with the first code read; returns a stop
// function, or null when the camera could not be opened.
export async function scanInto(video, canvas, jsqrUrl, onText) {
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  } catch {
    return null;
  }
  let live = true;
  const stop = () => { live = false; stream.getTracks().forEach((t) => t.stop()); video.hidden = true; };
  video.srcObject = stream; video.hidden = false; await video.play();
  const read = await makeDecoder(canvas, jsqrUrl);
  const tick = async () => {
    if (!live) return;
    if (video.readyState >= 2) {
      const text = await read(video).catch(() => null);
      if (text) { stop(); onText(text); return; }
    }
    setTimeout(tick, 200);
  };
  tick();
  return stop;
}
