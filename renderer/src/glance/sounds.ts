// Each outcome's sound, made here with WebAudio from shared/glance.ts's notes: no audio file is
// fetched or shipped. One AudioContext for the window, made on the first sound (after a key or a
// click, as browsers allow).
import { GLANCE_SOUNDS, type AnswerSound, type Glance } from '../../../shared/glance.ts';

let context: AudioContext | null = null;

export function playGlanceSound(glance: Glance, sound: AnswerSound): void {
  if (!sound.on || sound.volume <= 0 || typeof AudioContext === 'undefined') return;
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
    const start = context.currentTime + 0.01;
    for (const tone of GLANCE_SOUNDS[glance]) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = tone.wave;
      oscillator.frequency.value = tone.frequency;
      const at = start + tone.startMs / 1000;
      const end = at + tone.durationMs / 1000;
      // A short fade in and out: no click at either end.
      gain.gain.setValueAtTime(0, at);
      gain.gain.linearRampToValueAtTime(sound.volume * 0.4, at + 0.01);
      gain.gain.setValueAtTime(sound.volume * 0.4, end - 0.02);
      gain.gain.linearRampToValueAtTime(0, end);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at);
      oscillator.stop(end + 0.01);
    }
  } catch {
    // No audio device: the colour and the words still say it.
  }
}
