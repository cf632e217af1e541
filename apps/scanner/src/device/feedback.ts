import type { Tone } from '../core/present.ts';

/**
 * A short sound and a vibration per result, so the door knows without looking. Web Audio needs
 * a user gesture first: call `unlock()` from a tap (starting the camera, submitting a code).
 */

interface Beep {
  frequency: number;
  ms: number;
  type: OscillatorType;
}

const PATTERNS: Record<Tone, { beeps: Beep[]; vibrate: number[] }> = {
  ok: { beeps: [{ frequency: 1320, ms: 140, type: 'sine' }], vibrate: [80] },
  warn: {
    beeps: [
      { frequency: 660, ms: 120, type: 'triangle' },
      { frequency: 660, ms: 120, type: 'triangle' },
    ],
    vibrate: [120, 80, 120],
  },
  bad: { beeps: [{ frequency: 180, ms: 450, type: 'square' }], vibrate: [400, 100, 400] },
  pending: {
    beeps: [
      { frequency: 880, ms: 100, type: 'sine' },
      { frequency: 587, ms: 140, type: 'sine' },
    ],
    vibrate: [60, 60, 60],
  },
};

const GAP_MS = 70;
let context: AudioContext | undefined;

function audio(): AudioContext | undefined {
  if (context) return context;
  const Ctor =
    globalThis.AudioContext ??
    (globalThis as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return undefined;
  try {
    context = new Ctor();
  } catch {
    return undefined;
  }
  return context;
}

export function unlockAudio(): void {
  const ctx = audio();
  if (ctx?.state === 'suspended') ctx.resume().catch(() => undefined);
}

export function playFeedback(tone: Tone): void {
  const pattern = PATTERNS[tone];
  try {
    navigator.vibrate?.(pattern.vibrate);
  } catch {
    // Not allowed here (no user activation yet): sound only.
  }
  const ctx = audio();
  if (!ctx) return;
  if (ctx.state === 'suspended') ctx.resume().catch(() => undefined);
  let at = ctx.currentTime + 0.01;
  for (const beep of pattern.beeps) {
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.type = beep.type;
    oscillator.frequency.value = beep.frequency;
    const seconds = beep.ms / 1000;
    // A quick fade in and out: no clicks.
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.25, at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + seconds);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(at);
    oscillator.stop(at + seconds + 0.02);
    at += seconds + GAP_MS / 1000;
  }
}
