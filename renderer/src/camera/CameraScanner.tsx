// "Scan with camera": a webcam as the desk's scanner. The operator turns it on, chooses the
// camera, and sees a mirrored preview with a frame that shows where to hold the code. Frames go
// to the decode worker one at a time; a code that counts (camera-scans.ts: once per 3 s) goes to
// `onScan`, the path a scanner's code takes. A camera that is missing, busy or denied says so,
// and the scanner and typing keep working. Nothing here takes the keyboard's focus.
import { useEffect, useRef, useState } from 'react';
import { CameraScans } from './camera-scans.ts';
import { FrameDecoder } from './frame-decoder.ts';
import { CAMERA_PROBLEM_TEXT, cameraProblemOf, type CameraProblem } from './camera-problems.ts';
import type { DecodedCode } from './zxing-decoder.ts';
import { CAMERA_SCAN_MARK } from '../ui/marks.ts';

const CHOSEN_CAMERA_KEY = 'badgeDesk.camera';

type CameraState =
  { kind: 'off' } | { kind: 'starting' } | { kind: 'on' } | { kind: 'problem'; problem: CameraProblem };

function rememberedCamera(): string | null {
  try {
    return localStorage.getItem(CHOSEN_CAMERA_KEY);
  } catch {
    return null;
  }
}

function rememberCamera(deviceId: string): void {
  try {
    localStorage.setItem(CHOSEN_CAMERA_KEY, deviceId);
  } catch {
    // A window without storage chooses again next time.
  }
}

export function CameraScanner({
  onScan,
  afterControl,
  startOn = false,
}: {
  onScan: (code: DecodedCode) => void;
  /** Called after the operator used a control here: the desk gives the focus back to its field. */
  afterControl?: () => void;
  /** Start the camera at once (the kiosk). */
  startOn?: boolean;
}) {
  const [state, setState] = useState<CameraState>(startOn ? { kind: 'starting' } : { kind: 'off' });
  const [cameras, setCameras] = useState<{ id: string; label: string }[]>([]);
  const [cameraId, setCameraId] = useState<string | null>(rememberedCamera);
  const videoRef = useRef<HTMLVideoElement>(null);
  const onScanRef = useRef(onScan);
  onScanRef.current = onScan;
  const wanted = state.kind === 'starting' || state.kind === 'on';

  useEffect(() => {
    if (!wanted) return;
    let stopped = false;
    let stream: MediaStream | null = null;
    let decoder: FrameDecoder | null = null;
    const scans = new CameraScans();

    // The next frame the camera presents (its presentation time, where the browser tells it).
    const nextFrame = (video: HTMLVideoElement) => {
      if (stopped) return;
      if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback((now) => void readFrame(now));
      else setTimeout(() => void readFrame(performance.now()), 40);
    };

    const readFrame = async (frameAt: number) => {
      const video = videoRef.current;
      if (stopped || !video || !decoder) return;
      try {
        if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) {
          const bitmap = await createImageBitmap(video);
          const frame = await decoder.decode(bitmap);
          const code = stopped ? null : scans.pick(frame.codes, Date.now());
          if (code) {
            performance.mark(CAMERA_SCAN_MARK, { startTime: frameAt, detail: { at: performance.now() } });
            onScanRef.current(code);
          }
        }
      } catch {
        // A frame that could not be read is skipped; the next one is tried.
      }
      nextFrame(video);
    };

    const start = async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        setState({ kind: 'problem', problem: 'unavailable' });
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          audio: false,
          video: cameraId
            ? { deviceId: { exact: cameraId }, width: { ideal: 1280 }, height: { ideal: 720 } }
            : { width: { ideal: 1280 }, height: { ideal: 720 } },
        });
      } catch (err) {
        // A remembered camera that is gone: try whichever this computer has.
        if (cameraId && cameraProblemOf(err) === 'missing') {
          if (!stopped) setCameraId(null);
          return;
        }
        if (!stopped) setState({ kind: 'problem', problem: cameraProblemOf(err) });
        return;
      }
      if (stopped) {
        stream.getTracks().forEach((t) => t.stop());
        return;
      }
      const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
      const inputs = devices.filter((d) => d.kind === 'videoinput');
      setCameras(inputs.map((d, i) => ({ id: d.deviceId, label: d.label || `Camera ${i + 1}` })));
      const video = videoRef.current;
      if (!video) return;
      video.srcObject = stream;
      await video.play().catch(() => undefined);
      decoder = new FrameDecoder();
      setState({ kind: 'on' });
      nextFrame(video);
    };
    void start();

    return () => {
      stopped = true;
      decoder?.close();
      stream?.getTracks().forEach((t) => t.stop());
      const video = videoRef.current;
      if (video) video.srcObject = null;
    };
    // The camera restarts when the chosen one changes, and stops when turned off.
  }, [wanted, cameraId]);

  const toggle = () => {
    setState(wanted ? { kind: 'off' } : { kind: 'starting' });
    afterControl?.();
  };

  return (
    <section className="camera" aria-label="Camera scanner" data-testid="camera-scanner">
      <div className="camera-bar">
        <button
          type="button"
          className={`button button-small${wanted ? ' camera-on' : ''}`}
          aria-pressed={wanted}
          onClick={toggle}
        >
          <span aria-hidden="true">◉</span> Scan with camera
        </button>
        {wanted && cameras.length > 1 ? (
          <label className="camera-choice">
            Camera
            <select
              value={cameraId ?? ''}
              onChange={(e) => {
                const id = e.currentTarget.value;
                rememberCamera(id);
                setCameraId(id);
                afterControl?.();
              }}
            >
              {cameraId === null ? <option value="">Choose a camera</option> : null}
              {cameras.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {state.kind === 'starting' ? <span className="camera-status">Starting the camera…</span> : null}
        {state.kind === 'on' ? (
          <span className="camera-status" data-testid="camera-ready">
            Camera on: hold the code inside the frame
          </span>
        ) : null}
      </div>
      {state.kind === 'problem' ? (
        <p className="camera-problem" role="alert" data-testid="camera-problem">
          {CAMERA_PROBLEM_TEXT[state.problem]}
        </p>
      ) : null}
      {wanted ? (
        <div className="camera-view">
          {/* Mirrored like a mirror, so moving the ticket left moves it left; frames are read unmirrored. */}
          <video ref={videoRef} className="camera-video" muted playsInline aria-hidden="true" />
          <div className="camera-frame" aria-hidden="true" />
        </div>
      ) : null}
    </section>
  );
}
