'use client';

import { useEffect, useRef, useState } from 'react';
import {
  type CameraEngine,
  type CameraSession,
  preloadCameraEngine,
  startCamera,
} from '../device/camera.ts';
import { unlockAudio } from '../device/feedback.ts';

type CameraState =
  | { status: 'off' }
  | { status: 'starting' }
  | { status: 'on'; engine: CameraEngine }
  | { status: 'error'; message: string };

/** The live camera. Codes go to `onCode` as often as the camera sees them (the caller filters). */
export function CameraView({ onCode }: { onCode: (text: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const session = useRef<CameraSession | null>(null);
  const handler = useRef(onCode);
  const [state, setState] = useState<CameraState>({ status: 'off' });

  useEffect(() => {
    handler.current = onCode;
  }, [onCode]);

  useEffect(() => {
    preloadCameraEngine();
    return () => {
      session.current?.stop();
      session.current = null;
    };
  }, []);

  async function start() {
    unlockAudio();
    if (!video.current || session.current) return;
    setState({ status: 'starting' });
    try {
      session.current = await startCamera(video.current, (text) => handler.current(text));
      setState({ status: 'on', engine: session.current.engine });
    } catch (error) {
      setState({ status: 'error', message: (error as Error).message });
    }
  }

  function stop() {
    session.current?.stop();
    session.current = null;
    setState({ status: 'off' });
  }

  const on = state.status === 'on';
  return (
    <section className="camera" aria-label="Camera">
      <div className={`viewfinder ${on ? 'viewfinder-on' : ''}`}>
        <video ref={video} muted playsInline />
        {on && <div className="aim" aria-hidden="true" />}
        {!on && (
          <button
            type="button"
            className="button-large camera-start"
            data-testid="camera-start"
            onClick={start}
            disabled={state.status === 'starting'}
          >
            {state.status === 'starting' ? 'Starting camera…' : 'Start camera'}
          </button>
        )}
      </div>
      {state.status === 'error' && (
        <p className="form-error" role="alert">
          {state.message} You can still type or paste codes, or search attendees.
        </p>
      )}
      {on && (
        <p className="camera-bar">
          <span className="muted">
            Point at the ticket's QR code
            {state.engine === 'zxing' ? ' (compatibility mode)' : ''}.
          </span>
          <button type="button" className="link-button" onClick={stop}>
            Stop camera
          </button>
        </p>
      )}
    </section>
  );
}
