/**
 * Reads QR codes from the back camera: the browser's BarcodeDetector where it has one for QR
 * codes (Chrome on Android), else ZXing (`@zxing/browser`, loaded only then).
 */

interface DetectedBarcode {
  rawValue: string;
}

interface BarcodeDetectorInstance {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}

interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorInstance;
  getSupportedFormats?: () => Promise<string[]>;
}

export type CameraEngine = 'barcode-detector' | 'zxing';

export interface CameraSession {
  engine: CameraEngine;
  stop(): void;
}

/** Why the camera did not start, in words for the door. */
export class CameraError extends Error {
  override name = 'CameraError';
}

const VIDEO: MediaTrackConstraints = {
  facingMode: { ideal: 'environment' },
  width: { ideal: 1280 },
  height: { ideal: 720 },
};
const DETECT_EVERY_MS = 120;

async function nativeDetector(): Promise<BarcodeDetectorInstance | undefined> {
  const Detector = (globalThis as unknown as { BarcodeDetector?: BarcodeDetectorClass })
    .BarcodeDetector;
  if (!Detector) return undefined;
  try {
    const formats = (await Detector.getSupportedFormats?.()) ?? ['qr_code'];
    return formats.includes('qr_code') ? new Detector({ formats: ['qr_code'] }) : undefined;
  } catch {
    return undefined;
  }
}

function explain(error: unknown): CameraError {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return new CameraError('Camera access was denied. Allow it in the browser settings.');
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return new CameraError('No camera found on this device.');
  if (name === 'NotReadableError') return new CameraError('The camera is in use by another app.');
  return new CameraError(`The camera could not start (${(error as Error)?.message ?? error}).`);
}

/**
 * Loads ZXing ahead of time on browsers without a native QR detector (iOS Safari), so its code
 * is fetched (and cached by the service worker) while online, not first needed offline.
 */
export function preloadCameraEngine(): void {
  if ('BarcodeDetector' in globalThis) return;
  import('@zxing/browser').catch(() => undefined);
}

export async function startCamera(
  video: HTMLVideoElement,
  onCode: (text: string) => void,
): Promise<CameraSession> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new CameraError(
      window.isSecureContext
        ? 'This browser has no camera access.'
        : 'The camera needs a secure (https) connection.',
    );
  }
  video.muted = true;
  video.playsInline = true;

  const detector = await nativeDetector();
  if (detector) {
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: VIDEO, audio: false });
    } catch (error) {
      throw explain(error);
    }
    video.srcObject = stream;
    await video.play().catch(() => undefined);
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (stopped) return;
      if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
        try {
          for (const code of await detector.detect(video)) if (code.rawValue) onCode(code.rawValue);
        } catch {
          // A frame that could not be read: try the next one.
        }
      }
      if (!stopped) timer = setTimeout(tick, DETECT_EVERY_MS);
    };
    void tick();
    return {
      engine: 'barcode-detector',
      stop() {
        stopped = true;
        clearTimeout(timer);
        for (const track of stream.getTracks()) track.stop();
        video.srcObject = null;
      },
    };
  }

  const { BrowserQRCodeReader } = await import('@zxing/browser');
  const reader = new BrowserQRCodeReader(undefined, { delayBetweenScanAttempts: DETECT_EVERY_MS });
  try {
    const controls = await reader.decodeFromConstraints({ video: VIDEO }, video, (result) => {
      if (result) onCode(result.getText());
    });
    return { engine: 'zxing', stop: () => controls.stop() };
  } catch (error) {
    throw explain(error);
  }
}
